"""The common options of SNMP checks (added instead of the Prism ones when a check's
declaration says protocol="snmp")."""

from .session import AUTH_PROTOCOLS, BACKENDS, PRIV_PROTOCOLS, SECURITY_LEVELS

DEFAULT_SNMP_PORT = 161
DEFAULT_SNMP_TIMEOUT = 2.0
DEFAULT_SNMP_RETRIES = 1

# The auth file and environment variables for the secrets: plugin/credentials.py.


def _version(text):
    return text.lower().replace("v", "")


def nutanix_agent(spec):
    """Whether the check asks the Nutanix agent (NUTANIX-MIB on the CVMs), not a host's own."""
    return spec is None or "NUTANIX-MIB" in (getattr(spec, "sources", None) or ())


def default_version(spec):
    """SNMP v3 for the Nutanix agent: Prism configures only v3 users for polling (reference
    nutanix-api.md 6.1; v2c polling INFERRED unsupported). v2c for a host's own agent: net-snmp's
    stock configuration answers a v2c community, and whether Prism sets up an agent on AHV
    hosts at all is unverified (a guess: --snmp-version 3 when the host is set up that way)."""
    return "3" if nutanix_agent(spec) else "2c"


def add_arguments(group, positive, non_negative_int, spec=None):
    nutanix = nutanix_agent(spec)
    group.set_defaults(snmp_nutanix_agent=nutanix)
    group.add_argument("-C", "--community",
                       help="SNMP v2c community; prefer --auth-file ('community = ...') or "
                            "NUTANIX_SNMP_COMMUNITY so it stays out of the process list")
    group.add_argument("--snmp-port", type=int, default=DEFAULT_SNMP_PORT, metavar="PORT",
                       help="UDP port of the agent (default %(default)s)")
    group.add_argument("--snmp-version", type=_version, default=default_version(spec),
                       choices=("1", "2c", "3"), metavar="2c|3",
                       help="SNMP version, 2c or 3; v1 cannot carry Counter64 and is refused "
                            "(default %%(default)s: %s)" % (
                                "Prism configures SNMPv3 users for the Nutanix agent; v2c "
                                "polling is not documented" if nutanix else
                                "net-snmp's stock snmpd answers a v2c community"))
    group.add_argument("--snmp-user", metavar="USER", help="SNMP v3 user (security name)")
    group.add_argument("--security-level", choices=SECURITY_LEVELS,
                       help="SNMP v3 security level (default: authPriv with --priv-password, "
                            "authNoPriv with --auth-password only)")
    group.add_argument("--auth-protocol", type=str.upper, choices=AUTH_PROTOCOLS,
                       default="SHA", metavar="PROTOCOL",
                       help="SNMP v3 authentication: %s (default %%(default)s)"
                            % "/".join(AUTH_PROTOCOLS))
    group.add_argument("--auth-password", metavar="SECRET",
                       help="SNMP v3 authentication pass phrase (8+ characters; prefer "
                            "--auth-file or NUTANIX_SNMP_AUTH_PASSWORD)")
    group.add_argument("--priv-protocol", type=str.upper, choices=PRIV_PROTOCOLS,
                       default="AES", metavar="PROTOCOL",
                       help="SNMP v3 privacy: %s; AES-192/256 as Net-SNMP means them "
                            "(Blumenthal key extension) (default %%(default)s)"
                            % "/".join(PRIV_PROTOCOLS))
    group.add_argument("--priv-password", metavar="SECRET",
                       help="SNMP v3 privacy pass phrase (8+ characters; prefer --auth-file "
                            "or NUTANIX_SNMP_PRIV_PASSWORD)")
    group.add_argument("--snmp-timeout", type=positive, default=DEFAULT_SNMP_TIMEOUT,
                       metavar="SECONDS",
                       help="seconds to wait for one answer, cut to what -t leaves "
                            "(default %(default)s)")
    group.add_argument("--snmp-retries", type=non_negative_int, default=DEFAULT_SNMP_RETRIES,
                       metavar="N", help="resends of an unanswered request (default "
                                         "%(default)s)")
    group.add_argument("--snmp-backend", choices=BACKENDS, default="auto",
                       help="easysnmp (Net-SNMP bindings, fast) or pysnmp (pure Python); auto "
                            "takes easysnmp when it imports (default %(default)s)")
