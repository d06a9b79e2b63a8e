"""A validator of Centreon CLAPI import files (`centreon -u USER -p PASS -i FILE`).

One command per line, `OBJECT;ACTION;param1;param2;...`; empty lines and lines starting with
`#` are ignored (Centreon's CLAPI documentation, "Import/Export"). An object referenced before
it is defined, a macro flag that is not 0/1, or a field that would break the line (a `;` inside
a value, a line break) is an error.

Where the parameter counts come from: Centreon's CLAPI documentation gives CMD ADD, HOST ADD
(HTPL "refers to HOST"), HOST/HTPL SETMACRO, HOST/HTPL ADDTEMPLATE, STPL ADD, STPL SETMACRO,
STPL ADDHOSTTEMPLATE and HOST APPLYTPL. The others below (marked UNVERIFIED) are not in the
reference this project works from: their counts follow the same pattern (`name;param;value`)
and have not been checked against a live Centreon. Nothing here has been imported into one.
"""

import re

# (OBJECT, ACTION) -> allowed parameter counts
PARAMETERS = {
    ("CMD", "ADD"): (3,),            # name;type;line
    ("HTPL", "ADD"): (6,),           # name;alias;address;templates;instance;hostgroups
    ("HTPL", "SETPARAM"): (3,),      # UNVERIFIED
    ("HTPL", "SETMACRO"): (4, 5),    # template;macro;value;is_password[;description]
    ("HTPL", "ADDTEMPLATE"): (2,),
    ("STPL", "ADD"): (3,),           # description;alias;parent template
    ("STPL", "SETPARAM"): (3,),      # UNVERIFIED: name;parameter;value
    ("STPL", "SETMACRO"): (3, 4, 5),  # template;macro;value[;description[;is_password]]
    ("STPL", "ADDHOSTTEMPLATE"): (2,),
    ("HG", "ADD"): (2,),             # name;alias (UNVERIFIED)
    ("HOST", "ADD"): (6,),           # name;alias;address;templates;instance;hostgroups
    ("HOST", "SETPARAM"): (3,),      # UNVERIFIED
    ("HOST", "SETMACRO"): (4, 5),    # host;macro;value;is_password[;description]
    ("HOST", "ADDPARENT"): (2,),     # host;parent (UNVERIFIED)
    ("HOST", "APPLYTPL"): (1,),
    ("SERVICE", "DEL"): (2,),        # host;service description (UNVERIFIED)
}
COMMAND_TYPES = ("check", "notif", "misc", "discovery")
_MACRO = re.compile(r"^[A-Z0-9_]+$")
_NAME = re.compile(r"^[^;\s][^;]*$")


class ClapiError(ValueError):
    pass


def _flag(value, line_number, what):
    if value not in ("0", "1"):
        raise ClapiError("line %d: %s must be 0 or 1, not %r" % (line_number, what, value))


def validate(text, known_templates=(), known_commands=()):
    """Check an import file; returns the number of commands. Objects the file uses without
    defining (Centreon's own generic templates) must be passed in `known_*`."""
    defined = {"CMD": set(known_commands), "HTPL": set(known_templates), "STPL": set(),
               "HG": set(), "HOST": set()}
    defined["STPL"].update(known_templates)
    count = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line != line.strip():
            raise ClapiError("line %d: leading or trailing white space" % number)
        if "\r" in line:
            raise ClapiError("line %d: carriage return" % number)
        fields = line.split(";")
        if len(fields) < 2:
            raise ClapiError("line %d: not OBJECT;ACTION;..." % number)
        obj, action, params = fields[0], fields[1], fields[2:]
        expected = PARAMETERS.get((obj, action))
        if expected is None:
            raise ClapiError("line %d: unknown object/action %s;%s" % (number, obj, action))
        if len(params) not in expected:
            raise ClapiError("line %d: %s;%s takes %s parameters, not %d" % (
                number, obj, action, " or ".join(map(str, expected)), len(params)))
        name = params[0]
        if not _NAME.match(name):
            raise ClapiError("line %d: empty or badly spaced name %r" % (number, name))
        if action == "ADD":
            if name in defined[obj]:
                raise ClapiError("line %d: %s %s is defined twice" % (number, obj, name))
            _check_add(obj, params, defined, number)
            defined[obj].add(name)
        else:
            owner = "HOST" if obj == "SERVICE" else obj
            if name not in defined[owner]:
                raise ClapiError("line %d: %s %s is used before it is added" % (
                    number, owner, name))
            _check_action(obj, action, params, defined, number)
        count += 1
    return count


def _check_add(obj, params, defined, number):
    if obj == "CMD":
        if params[1] not in COMMAND_TYPES:
            raise ClapiError("line %d: command type %r is not one of %s" % (
                number, params[1], ", ".join(COMMAND_TYPES)))
        if not params[2].strip():
            raise ClapiError("line %d: empty command line" % number)
    elif obj in ("HTPL", "HOST"):
        for template in filter(None, params[3].split("|")):
            if template not in defined["HTPL"]:
                raise ClapiError("line %d: host template %s is used before it is added" % (
                    number, template))
        for group in filter(None, params[5].split("|")):
            if group not in defined["HG"]:
                raise ClapiError("line %d: host group %s is used before it is added" % (
                    number, group))
        if obj == "HOST" and not params[4]:
            raise ClapiError("line %d: host %s names no poller" % (number, params[0]))
    elif obj == "STPL":
        if params[2] and params[2] not in defined["STPL"]:
            raise ClapiError("line %d: service template %s is used before it is added" % (
                number, params[2]))


def _check_action(obj, action, params, defined, number):
    if action == "SETMACRO":
        if not _MACRO.match(params[1]):
            raise ClapiError("line %d: macro name %r is not upper-case letters, digits and _"
                             % (number, params[1]))
        if obj == "STPL":
            if len(params) == 5:
                _flag(params[4], number, "is_password")
        else:
            _flag(params[3], number, "is_password")
    elif action == "SETPARAM":
        if obj == "STPL" and params[1] == "check_command" and params[2] not in defined["CMD"]:
            raise ClapiError("line %d: command %s is used before it is added" % (
                number, params[2]))
    elif action in ("ADDHOSTTEMPLATE", "ADDTEMPLATE"):
        if params[1] not in defined["HTPL"]:
            raise ClapiError("line %d: host template %s is used before it is added" % (
                number, params[1]))
    elif action == "ADDPARENT":
        if params[1] not in defined["HOST"]:
            raise ClapiError("line %d: parent host %s is used before it is added" % (
                number, params[1]))
