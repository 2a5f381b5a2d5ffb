"""The one error type of the build: it names the file, the record and the field."""

from __future__ import annotations


class EvidenceError(Exception):
    """Bad input: a malformed evidence file, an unknown term, a broken span, a violation.

    ``str()`` gives one line a curator can act on, e.g.
    ``001_c55962c33ca41f6d.yaml: record 't1-adam-2006/arm/m1', field 'unit': unknown unit
    'Months'; did you mean Month?``
    """

    def __init__(self, file: str, record: str | None, field: str | None, message: str) -> None:
        self.file = file
        self.record = record
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type, tuple[str, str | None, str | None, str]]:
        """Rebuilt from its four parts when it crosses from a build worker process."""
        return (EvidenceError, (self.file, self.record, self.field, self.message))

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f": record '{self.record}'"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class BuildError(Exception):
    """The build cannot go on for a reason that is not one record's fault."""
