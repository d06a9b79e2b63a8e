"""Plugin core: states, thresholds, perfdata, results, rendering and the single runner."""
