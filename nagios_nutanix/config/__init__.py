"""Things generated from the check declarations: documentation, later monitoring templates."""
