"""Plain mutable records declared like dataclasses, for the model every check run loads.

`dataclasses` imports `inspect` and generates code with exec(): about 6 ms at every start of
a check, a tenth of a warm run. This keeps the declaration style (annotated fields, defaults,
`field(default_factory=...)`) with a plain __init__, __repr__ and __eq__. Annotations are
never evaluated (modules using it have `from __future__ import annotations`).
"""

_MISSING = object()


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


def field(default_factory):
    """A default built per instance (e.g. an empty list), as dataclasses.field does."""
    return _Factory(default_factory)


def record(cls):
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults = {}
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        defaults[name] = value
        if value is not _MISSING:
            delattr(cls, name)  # instances carry their own value

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError("%s takes %d fields, %d given" % (cls.__name__, len(names),
                                                              len(args)))
        values = dict(zip(names, args))
        for name in names[len(args):]:
            if name in kwargs:
                values[name] = kwargs.pop(name)
                continue
            default = defaults[name]
            if default is _MISSING:
                raise TypeError("%s needs %r" % (cls.__name__, name))
            values[name] = default.make() if isinstance(default, _Factory) else default
        if kwargs:
            raise TypeError("%s has no field %s" % (cls.__name__, ", ".join(sorted(kwargs))))
        for name in names:
            setattr(self, name, values[name])

    def __repr__(self):
        return "%s(%s)" % (cls.__name__, ", ".join(
            "%s=%r" % (name, getattr(self, name)) for name in names))

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in names)

    cls.__init__ = __init__
    cls.__repr__ = __repr__
    cls.__eq__ = __eq__
    cls.__hash__ = None  # mutable, like a dataclass with eq
    cls.FIELDS = names
    return cls


def as_dict(value):
    """A record (and the records, lists and dicts inside it) as plain dicts and lists."""
    names = getattr(value.__class__, "FIELDS", None)
    if names is not None and not isinstance(value, type):
        return {name: as_dict(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [as_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: as_dict(v) for k, v in value.items()}
    return value
