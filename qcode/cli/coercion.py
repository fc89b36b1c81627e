"""Parameters' values taken as given where Typer's coercion would give them unchanged.

Typer (0.2x) coerces each parameter's value through a pydantic TypeAdapter, built when the
parameter first gets a value, a default included: loading pydantic costs a command that needs
none of it (``qcode info``) about a fifth of its start-up. A string for a ``str`` parameter is
coerced to itself and a parameter left out (None) is not coerced at all, so these are taken as
they are; any other value gets Typer's own coercion, built then. With a Typer without this
machinery, every value keeps that Typer's coercion.
"""

from __future__ import annotations

from typing import Any

try:
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - another Typer
    RuntimeParam = None  # type: ignore[misc, assignment]

_STRINGS: tuple[Any, ...] = (str, str | None)

if RuntimeParam is not None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class _AsGiven(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is str and self.annotation in _STRINGS:
                return value
            typers = build_runtime_param(param.type_descriptor)
            param._runtime_param = typers
            return typers._coerce_value(value, param=param, ctx=ctx)


def as_given(command: Any, commands: bool = True) -> Any:
    """``command`` (and, with ``commands``, the commands of a group) with its parameters' values
    taken as given where Typer's coercion would give them unchanged."""
    if RuntimeParam is None:  # pragma: no cover
        return command
    for p in command.params:
        param_as_given(p)
    for sub in getattr(command, "commands", {}).values() if commands else ():
        as_given(sub)
    return command


def param_as_given(param: Any) -> Any:
    """One parameter's values taken as given where Typer's coercion would leave them as they are."""
    info = getattr(param, "type_descriptor", None)
    if (
        RuntimeParam is not None
        and info is not None
        and getattr(param, "_runtime_param", False) is None
        and info.parameter_info.parser is None
    ):
        param._runtime_param = _AsGiven(
            parameter_info=info.parameter_info, annotation=info.annotation
        )
    return param
