"""Byte surgery for the hostile corpus: zip archives that lie, bombs, damaged streams, XML entity
attacks and OLE containers with renamed streams. Everything is built here from nothing, so the
repository holds no binary file.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

ZIP_LOCAL = b"PK\x03\x04"
ZIP_CENTRAL = b"PK\x01\x02"
XXE_CANARY = "RENAKSI-XXE-CANARY"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zip_of(parts: dict[str, bytes], *, stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def replaced(data: bytes, name: str, content: bytes) -> bytes:
    """The archive ``data`` with member ``name`` holding ``content`` (added when missing)."""
    parts = members(data)
    parts[name] = content
    return zip_of(parts)


def deflated_stream(chunks: Iterator[bytes]) -> tuple[bytes, int, int]:
    """A raw deflate stream of the chunks, with the CRC and size of what it inflates to."""
    engine = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        out.append(engine.compress(chunk))
    out.append(engine.flush())
    return b"".join(out), crc, size


def zip_with_raw_member(
    parts: dict[str, bytes],
    name: str,
    stream: bytes,
    crc: int,
    size: int,
    *,
    declared_size: int | None = None,
) -> bytes:
    """An archive of ``parts`` plus member ``name`` holding an already deflated ``stream``. Its
    headers declare ``declared_size`` bytes inflated (the truth, ``size``, when None)."""
    base = io.BytesIO()
    with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    # Written by hand: the local header, the stream, then a central directory for every member.
    data = bytearray(base.getvalue())
    end = data.rindex(b"PK\x05\x06")
    (count, directory_size, directory_offset) = struct.unpack_from("<HII", data, end + 10)
    directory = bytes(data[directory_offset : directory_offset + directory_size])
    offset = directory_offset
    encoded = name.encode()
    claimed = size if declared_size is None else declared_size
    local = struct.pack(
        "<4sHHHHHIIIHH", ZIP_LOCAL, 20, 0, 8, 0, 0x21, crc, len(stream), claimed, len(encoded), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        ZIP_CENTRAL,
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(stream),
        claimed,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    body = bytes(data[:directory_offset]) + local + encoded + stream
    new_directory = directory + central + encoded
    tail = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(new_directory), len(body), 0
    )
    return body + new_directory + tail


def zeros(total: int, chunk: int = 2**22) -> Iterator[bytes]:
    block = b"\x00" * chunk
    while total > 0:
        yield block[: min(chunk, total)]
        total -= chunk


def xml_filler(total: int, chunk: int = 2**22) -> Iterator[bytes]:
    """Well-formed-looking worksheet text that compresses about 1000:1."""
    yield b'<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>'
    block = b"<!-- " + b"x" * (chunk - 9) + b" -->"
    while total > 0:
        yield block
        total -= chunk
    yield b"</sheetData></worksheet>"


def many_members(count: int) -> bytes:
    return zip_of(
        {f"xl/media/part{i}.xml": b"<a/>" for i in range(count)} | {"[Content_Types].xml": b"<Types/>"}
    )


def damaged_deflate(data: bytes, name: str) -> bytes:
    """``data`` with bytes in the middle of member ``name``'s compressed stream flipped."""
    info, start = _member_data(data, name)
    patched = bytearray(data)
    middle = start + info.compress_size // 2
    for i in range(middle, min(middle + 16, start + info.compress_size)):
        patched[i] ^= 0xA5
    return bytes(patched)


def bad_crc(data: bytes, name: str) -> bytes:
    """``data`` with member ``name``'s CRC wrong in both its headers."""
    info, _start = _member_data(data, name)
    patched = bytearray(data)
    wrong = struct.pack("<I", info.CRC ^ 0xDEADBEEF)
    patched[info.header_offset + 14 : info.header_offset + 18] = wrong
    encoded = name.encode()
    at = data.index(ZIP_CENTRAL)
    while True:
        at = data.index(ZIP_CENTRAL, at)
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == encoded:
            patched[at + 16 : at + 20] = wrong
            return bytes(patched)
        at += 4


def _member_data(data: bytes, name: str) -> tuple[zipfile.ZipInfo, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info, info.header_offset + 30 + name_length + extra_length


# -- XML entity attacks ------------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE r [<!ENTITY a "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)

# One 100,000-character entity referenced 10,000 times: a gigabyte of text without nesting.
QUADRATIC = '<!DOCTYPE r [<!ENTITY a "' + "a" * 100_000 + '"><!ENTITY q "' + "&a;" * 10_000 + '">]>'


def with_doctype(xml: bytes, doctype: str, entity: str) -> bytes:
    """``xml`` with ``doctype`` after its declaration and ``&entity;`` as the first child's text."""
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        head, body = text[:end], text[end:]
    else:
        head, body = "", text
    close = body.index(">", body.index("<")) + 1
    if body[close - 2] == "/":  # an empty root element: open it to hold the reference
        tag = body[body.index("<") + 1 :].split()[0].rstrip("/>")
        body = body[: close - 2] + f">&{entity};</{tag}>" + body[close:]
    else:
        body = body[:close] + f"&{entity};" + body[close:]
    return (head + doctype + body).encode("utf-8")


def xxe_doctype(canary_path: str) -> str:
    return f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{canary_path}">]>'


def entity_attacks(data: bytes, canary_path: str) -> Iterator[tuple[str, str, bytes]]:
    """For every XML part of the archive: (part, attack, archive) with that part attacked by a
    billion laughs and by an external entity that reads the canary file."""
    for name, content in members(data).items():
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        attacks = (
            ("laughs", LAUGHS, "j"),
            ("xxe", xxe_doctype(canary_path), "x"),
            ("quadratic", QUADRATIC, "q"),
        )
        for attack, doctype, entity in attacks:
            yield name, attack, replaced(data, name, with_doctype(content, doctype, entity))


# -- OLE -----------------------------------------------------------------------------------------


def renamed_ole_stream(data: bytes, old: str, new: str) -> bytes:
    """The OLE file ``data`` with its directory entry ``old`` renamed ``new``."""
    at = data.index(old.encode("utf-16-le") + b"\x00\x00")
    name = new.encode("utf-16-le") + b"\x00\x00"
    patched = bytearray(data)
    patched[at : at + 64] = name.ljust(64, b"\x00")
    struct.pack_into("<H", patched, at + 64, len(name))
    return bytes(patched)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding ``streams``, each
    padded to at least 4096 bytes so it lives in the regular sectors (no mini stream). Names
    must be given in the directory's order: by length, then by upper-case text."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    bodies = [
        content.ljust(max(4096, -(-len(content) // 512) * 512), b"\x00") for content in streams.values()
    ]
    fat = [fat_sector, end]  # sector 0: the FAT; sector 1: the directory
    starts = []
    for body in bodies:
        starts.append(len(fat))
        count = len(body) // 512
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end)
    assert len(fat) <= 128, "one FAT sector holds 128 entries"
    fat_bytes = struct.pack("<128I", *(fat + [free] * (128 - len(fat))))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name.encode("utf-16-le") + b"\x00\x00") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded.ljust(64, b"\x00"),
            len(encoded),
            kind,
            1,
            no_stream,
            right,
            child,
            b"",
            0,
            0,
            0,
            start,
            size,
        )

    names = list(streams)
    directory = entry("Root Entry", 5, no_stream, 1, end, 0)
    for i, name in enumerate(names, 1):
        right = i + 1 if i < len(names) else no_stream
        directory += entry(name, 2, right, no_stream, starts[i - 1], len(streams[name]))
    directory = directory.ljust(512, b"\x00")
    assert len(directory) == 512, "one directory sector holds 4 entries"
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    return header + fat_bytes + directory + b"".join(bodies)


def encrypted_package() -> bytes:
    """What Office writes for a password-protected .xlsx: an OLE file with EncryptionInfo (agile
    encryption, version 4.4) and EncryptedPackage streams."""
    info = (
        struct.pack("<HHI", 4, 4, 0x40)
        + b'<?xml version="1.0"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>'
    )
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 5000) + bytes(5000)})
