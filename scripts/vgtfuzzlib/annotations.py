"""Absorbing annotation macros the compat layer does not know, and the drift check's C scanning.

Kernel trees keep adding declaration annotations (sparse's `__must_hold(x)`, 7.x's context analysis
`__context_unsafe(...)`, ...). Each expands to nothing or to a compiler attribute in a kernel
build without its checker, and none changes what the code does. Our compat headers cannot know the
next one, so the extractor finds them and generates `fragments/vgtfuzz_annotations.h`, defining
each to nothing.

It is safe because only attribute positions count, at file scope (brace depth 0, outside the
preprocessor): the tokens between a parameter list's `)` and the `{` or `;` that follows it, and
tokens that lead a declaration before its storage class or type. A `__name` there that no compat
header, no lifted file and no compiler defines is an annotation: a statement or an expression
never stands there. Anything else unknown is left alone, so the build stops on it and
`vgtfuzz lift --check` lists it.
"""
import os
import pathlib
import re

from .common import ROOT

COMPAT = os.path.join(ROOT, "extracted", "compat")

# Spelled by the compiler itself, never by a header.
COMPILER_WORDS = {
    "__attribute__", "__attribute", "__asm__", "__asm", "__volatile__", "__volatile", "__restrict",
    "__restrict__", "__inline", "__inline__", "__extension__", "__typeof__", "__typeof", "__const",
    "__const__", "__signed__", "__signed", "__alignof__", "__auto_type", "__label__", "__thread",
    "__int128", "__builtin_va_list", "__func__", "__FUNCTION__", "__PRETTY_FUNCTION__",
}
DECL_START = {"static", "extern", "inline", "struct", "union", "enum", "const", "void", "int", "long",
              "unsigned", "signed", "char", "short", "bool", "typedef", "u8", "u16", "u32", "u64", "s32",
              "s64", "size_t"}
SPACES = re.compile(r"\s*")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ANNOTATION = re.compile(r"__[a-z][a-z0-9_]*$")


def strip(text):
    """C text without comments, string and character literals, and preprocessor lines
    (each replaced by spaces or a newline, so offsets stay roughly the same)."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            # a directive, with its continuation lines
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    i += 1
                i += 1
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" " + "\n" * text.count("\n", i, j))
            i = j
            continue
        if c == "/" and text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
            continue
        if c == "\n":
            at_line_start = True
        elif not c.isspace():
            at_line_start = False
        out.append(c)
        i += 1
    return "".join(out)


def defined_names(texts):
    """Every macro name #defined in these texts."""
    return {n for t in texts for n in re.findall(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", t, re.M)}


def compat_texts():
    return [h.read_text(encoding="utf-8", errors="replace") for h in pathlib.Path(COMPAT).rglob("*.h")]


def matching(text, i):
    """The index just past the bracket that closes text[i] ("(" or "{"), or None."""
    close, depth = {"(": ")", "{": "}"}[text[i]], 0
    for j in range(i, len(text)):
        if text[j] == text[i]:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return None


def _skip_args(code, i):
    """(index after a balanced (...) starting at code[i] (whitespace first), whether there was one)."""
    j = SPACES.match(code, i).end()
    if j >= len(code) or code[j] != "(":
        return i, False
    return matching(code, j) or len(code), True


def _annotation_run(code, i):
    """Annotation-shaped tokens from i on: [(name, has_args)], and the index after them."""
    run = []
    while True:
        j = SPACES.match(code, i).end()
        m = IDENT.match(code, j)
        if not m or not ANNOTATION.match(m.group(0)):
            return run, j
        k, args = _skip_args(code, m.end())
        run.append((m.group(0), args))
        i = k


def attribute_position_tokens(text):
    """[(name, has_args, line)] of annotation-shaped tokens in attribute positions at file scope."""
    code = strip(text)
    found = []
    depth = paren = 0
    i, n = 0, len(code)
    decl_start = True
    while i < n:
        c = code[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                decl_start = True
        elif c == "(":
            paren += 1
        elif c == ")":
            paren -= 1
            if depth == 0 and paren == 0:
                run, j = _annotation_run(code, i + 1)
                if run and j < n and code[j] in "{;,":
                    line = code.count("\n", 0, i) + 1
                    found += [(name, args, line) for name, args in run]
                    i = j
                    continue
        elif c == ";" and depth == 0:
            decl_start = True
        elif depth == 0 and paren == 0 and decl_start and (c.isalpha() or c == "_"):
            run, j = _annotation_run(code, i)
            m = IDENT.match(code, j)
            if run and m and (m.group(0) in DECL_START or m.group(0).startswith("__")):
                line = code.count("\n", 0, i) + 1
                found += [(name, args, line) for name, args in run]
            decl_start = False
            m = IDENT.match(code, i)
            i = max(j, m.end() if m else i + 1)
            continue
        i += 1
    return found


def scan(files):
    """files: {rel: bytes}. Returns ({name: has_args} to absorb, {name: [where]} of those found)."""
    texts = {rel: data.decode("utf-8", "replace") for rel, data in files.items() if rel.endswith((".c", ".h"))}
    known = defined_names(list(texts.values()) + compat_texts()) | COMPILER_WORDS
    absorb, where = {}, {}
    for rel, text in sorted(texts.items()):
        if rel.startswith("fragments/vgtfuzz_"):
            continue
        for name, args, line in attribute_position_tokens(text):
            if name in known:
                continue
            where.setdefault(name, []).append("%s:%d" % (rel, line))
            absorb[name] = absorb.get(name, False) or args
    return absorb, where


def header(absorb):
    lines = ["/* Generated by the vgtfuzz extractor: annotation macros of this tree that the compat layer does",
             " * not define, each in an attribute position only, absorbed as empty "
             "(scripts/vgtfuzzlib/annotations.py). */",
             "#ifndef VGTFUZZ_LIFTED_ANNOTATIONS_H", "#define VGTFUZZ_LIFTED_ANNOTATIONS_H"]
    lines += ["#define %s%s" % (name, "(...)" if absorb[name] else "") for name in sorted(absorb)]
    return ("\n".join(lines + ["#endif", ""])).encode()
