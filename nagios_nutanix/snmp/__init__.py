"""Per-node SNMP: one small interface (scalars, tables) over two backends.

`session.open_agent(context)` gives an Agent for -H; the backend is easysnmp (Net-SNMP's C
library, fast) or pysnmp 7 (pure Python), chosen by --snmp-backend. `mib.py` names the objects
the checks read; `options.py` declares the command-line options. The checks' shared SNMP logic
(the CVM directory, status words) is in `checks/snmp_common.py`.
"""
