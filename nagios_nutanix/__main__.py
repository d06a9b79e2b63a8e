"""`python -m nagios_nutanix CHECK [options]` is `check_nutanix CHECK [options]`."""

from .plugin.runner import main

main()
