"""Per-node SNMP: one small interface (scalars, tables) over two backends.

`session.open_agent(context)` gives an Agent for -H; the backend is easysnmp (Net-SNMP's C
library, fast) or pysnmp 7 (pure Python), chosen by --snmp-backend. `mib.py` names the objects
the checks read; `cvms.py` joins the NUTANIX-MIB CVM tables.
"""
