# The two set-up commands of the README, and nothing a fresh machine lacks:
#   make demo   every check against the built-in Prism emulator, output and exit codes shown
#   make test   the whole test suite (installs what it needs first)
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
# Debian packages the tests need, installed when running as root with apt-get.
# Packaging: rpm (rpmbuild), lintian, and the distribution Python modules the .deb depends on.
# SNMP: libsnmp-dev to build easysnmp (Net-SNMP bindings; the pysnmp backend needs nothing).
DEB_PACKAGES ?= rpm cpio lintian python3-requests python3-yaml python3-jinja2 libsnmp-dev nagios4-core icinga2-bin

.PHONY: demo test venv debs lint docs packages

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet -e '.[easysnmp]' || echo "make: easysnmp not built (it needs \
	Net-SNMP's libsnmp-dev: make debs as root); SNMP checks fall back to pysnmp" >&2
	touch $@

venv: $(VENV)/.installed

debs:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -n "$(DEB_PACKAGES)" ]; then \
	  missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  fi; \
	fi

demo: venv
	$(PY) -m nagios_nutanix.demo

lint: venv
	$(VENV)/bin/ruff check .

packages: debs venv
	$(PY) packaging/build.py --out dist

docs: venv
	$(PY) -m nagios_nutanix.config.docs docs

test: debs venv lint
	$(PY) -m pytest tests
