"""What the end-to-end suites share: the failure type, a command's result
and how it is shown, and the checks that raise with a clear message."""
import re


class Fail(Exception):
    """A failed expectation; `result` is the command it is about, if any."""

    def __init__(self, msg, result=None):
        super().__init__(msg)
        self.result = result


class Result:
    def __init__(self, cmd, rc, out, err, seconds):
        self.cmd, self.rc, self.out, self.err, self.seconds = cmd, rc, out, err, seconds

    def describe(self):
        return ("    command: %s\n    exit status: %s\n    stdout: %s\n    stderr: %s"
                % (" ".join(_quote(a) for a in self.cmd), self.rc,
                   _block(self.out), _block(self.err)))


def _quote(a):
    return a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'" + a.replace("'", "'\\''") + "'"


def _block(s):
    if s is None:
        return "(none)"
    if len(s) > 4000:
        s = s[:4000] + "\n…(%d more characters)" % (len(s) - 4000)
    if "\n" not in s.rstrip("\n"):
        return repr(s)
    return "\n      | " + "\n      | ".join(s.rstrip("\n").split("\n"))


def dec(b):
    """Bytes from a process as text (None stays None)."""
    if b is None:
        return None
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def check(cond, msg, result=None):
    if not cond:
        raise Fail(msg, result)


def check_eq(actual, expected, what, result=None):
    if actual != expected:
        raise Fail("%s:\n    expected %r\n    actual   %r" % (what, expected, actual), result)


def check_list(actual, expected, what, result=None):
    """Exact comparison of two lists, reporting the first difference."""
    if actual == expected:
        return
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a != e:
            raise Fail("%s differ at item %d:\n    expected %r\n    actual   %r\n"
                       "    whole actual: %r" % (what, i, e, a, actual), result)
    raise Fail("%s: expected %d items, got %d:\n    expected %r\n    actual   %r"
               % (what, len(expected), len(actual), expected, actual), result)
