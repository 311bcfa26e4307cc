"""A DiskDescribe answer compared with the last one as it is read, without holding it: a disk at rest lists the very
same objects (34 MB of JSON at 200k objects) at every poll, and reading each poll into a buffer of its own put those
34 MB on top of everything the disk screen holds (peak RSS 265 MiB where 233 were held).

Only the last objects' text's digest and length are kept. The new answer's objects text is found by its key, hashed
over that length as the chunks arrive, and dropped; what is around it (the summary, ~1 KB) is kept. When the digest
matches, the answer is the summary with `{}` for objects, and the caller keeps the objects it has. When it does not,
the caller asks again and reads the answer whole: the bytes hashed are gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .answers import digester

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

__all__ = ["AROUND_LIMIT", "SameObjects"]

KEY = b'"objects":'
_WHITESPACE = b" \t\r\n"
# Bytes kept before and after the objects' text: a disk's summary is ~1 KB. More means other objects than the last.
AROUND_LIMIT = 1 << 20


class SameObjects:
    """Feed the answer's chunks in order (`feed`), then read `result`.

    A false match cannot come of finding the key somewhere else (a nested key of the same name): the text hashed
    from there would have to be byte for byte the last objects' text, a whole JSON object, and then it is the value
    of that key. The decoder still reads the summary around it, so an answer broken there is refused as ever.
    """

    def __init__(self, digest: bytes, length: int) -> None:
        """`digest` and `length`: the last objects' text's (answers.digest, len)."""
        self._digest, self._left = digest, length
        self._head = bytearray()  # the answer up to the objects' text
        self._searched = 0  # how far into _head the key has been looked for
        self._hash: Hash | None = None  # set once the objects' text begins
        self._tail = bytearray()  # the answer after the objects' text (and more, if the new text is longer)
        self._over = False  # more than AROUND_LIMIT kept: other objects than the last (see _room)

    def feed(self, chunk: bytes) -> bool:
        """Take the answer's next bytes; False once the answer is known not to match (stop reading)."""
        if self._hash is None:
            self._head += chunk
            start = self._value_start()
            if start is None:
                return self._room(self._head)
            with memoryview(self._head) as view:
                rest = bytes(view[start:])
            del self._head[start:]
            self._hash = digester()
        else:
            rest = chunk
        left = self._left
        if left:
            with memoryview(rest) as view:
                self._hash.update(view[:left])
            taken = min(left, len(rest))
            self._left = left - taken
            rest = rest[taken:]
        if rest:
            self._tail += rest
        return self._room(self._tail)

    def result(self) -> tuple[bytes, bool] | None:
        """At the end of the answer: (the answer with `{}` for the objects, True) when their text was the last one's;
        (the whole answer, False) when it has no objects (an error); None when the objects differ."""
        if self._over:
            return None
        if self._hash is None:
            return bytes(self._head), False
        if self._left or self._hash.digest() != self._digest:
            return None
        return bytes(self._head) + b"{}" + bytes(self._tail), True

    def _room(self, kept: bytearray) -> bool:
        """False (and the answer is not the last one) once more than AROUND_LIMIT bytes are kept around the objects."""
        self._over = self._over or len(kept) > AROUND_LIMIT
        return not self._over

    def _value_start(self) -> int | None:
        """Where the objects' value starts in _head (past the key and any whitespace), None while not read yet."""
        head = self._head
        key = head.find(KEY, max(self._searched - len(KEY) + 1, 0))
        if key < 0:
            self._searched = len(head)
            return None
        at = key + len(KEY)
        while at < len(head) and head[at] in _WHITESPACE:
            at += 1
        if at == len(head):  # the value begins in a chunk still to come
            self._searched = key
            return None
        return at
