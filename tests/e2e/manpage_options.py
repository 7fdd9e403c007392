#!/usr/bin/env python3
"""The man page's OPTIONS section against --help, the one source of the
usage text.

--help lists options in groups; an entry is a line indented by two spaces
("  --source SRC          host URL ..."), the tag before the first run of
two spaces, the description after it and on the deeper-indented lines that
follow. In the man page every entry is a .TP paragraph under .SH OPTIONS
whose tag renders to the same text and whose first paragraph, with roff
escapes and fonts removed and white space collapsed, is the description;
more paragraphs (.IP) may follow with details only the man page gives.
The entries must come in the same order and none may be missing or extra.

usage: manpage_options.py check HELP.txt MANPAGE
       manpage_options.py render HELP.txt   (roff for the section, to paste)
check prints the first difference and exits 1.
"""
import re
import sys
import textwrap


def help_groups(text):
    """[(heading, [(tag, description)])] from --help."""
    lines = text.split("\n")
    start = lines.index("") + 1          # after the usage lines
    groups, heading, entry, prose = [], None, None, []
    for line in lines[start:]:
        if line.startswith("  ") and not line.startswith("    ") and heading is not None:
            tag, _, desc = line[2:].partition("  ")
            entry = [tag.strip(), desc.strip()]
            groups[-1][1].append(entry)
        elif line.startswith("    ") and entry is not None:
            entry[1] = (entry[1] + " " + line.strip()).strip()
        elif line == "":
            entry, prose = None, []
            if heading is not None and groups[-1][1]:
                heading = ""              # entries after a blank line: new group
                groups.append(("", []))
        else:
            prose.append(line)
            if line.endswith(":"):
                heading = " ".join(prose)
                if groups and not groups[-1][0] and not groups[-1][1]:
                    groups.pop()
                groups.append((heading, []))
                prose = []
    return [(h, [tuple(e) for e in es]) for h, es in groups if es]


ESCAPES = [(r"\-", "-"), (r"\e", "\\"), (r"\&", ""), (r"\(em", "\u2014"),
           (r"\ ", " ")]


def roff_text(line):
    """Plain text of one roff line (a text line or a font macro)."""
    m = re.match(r"^\.(B|I|BI|BR|IB|IR|RB|RI|SM)(?:\s+(.*))?$", line)
    if m:
        args = re.findall(r'"([^"]*)"|(\S+)', m.group(2) or "")
        args = [a or b for a, b in args]
        line = (" " if len(m.group(1)) == 1 else "").join(args)
    line = re.sub(r"\\f(\[[A-Z]*\]|[BIRP])", "", line)
    for esc, plain in ESCAPES:
        line = line.replace(esc, plain)
    return line


def man_entries(roff):
    """[(tag, description)] of the .TP paragraphs under .SH OPTIONS."""
    lines = roff.split("\n")
    try:
        start = lines.index(".SH OPTIONS") + 1
    except ValueError:
        return []
    entries, cur = [], None
    i = start
    while i < len(lines) and not lines[i].startswith(".SH "):
        line = lines[i]
        if line == ".TP":
            cur = [roff_text(lines[i + 1]), ""]
            entries.append(cur)
            i += 2
            continue
        if line.startswith(".") or line.startswith("'"):
            if not re.match(r"^\.(B|I|BI|BR|IB|IR|RB|RI|SM)\b", line):
                cur = None
        if cur is not None:
            cur[1] = (cur[1] + " " + roff_text(line)).strip()
        i += 1
    return [(t, " ".join(d.split())) for t, d in entries]


def roff_escape(s):
    s = s.replace("\\", "\\e")
    return re.sub(r"(?<![A-Za-z0-9])-|(?<=-)-", r"\\-", s)


def render_tag(tag):
    out = []
    for tok in re.split(r"(\s+|, )", tag):
        if tok.strip(", ") == "":
            out.append(tok)
        elif tok.startswith("-"):
            out.append("\\fB" + roff_escape(tok) + "\\fR")
        else:
            out.append("\\fI" + roff_escape(tok) + "\\fR")
    return "".join(out)


def render(groups):
    out = [".SH OPTIONS"]
    for heading, entries in groups:
        name, _, rest = heading.rstrip(":").partition(" (")
        out.append(".SS " + (name or "General"))
        if rest:
            out += [roff_escape(line) for line in
                    textwrap.wrap(rest.rstrip(")").rstrip(), 72)]
        for tag, desc in entries:
            out += [".TP", render_tag(tag)]
            for line in textwrap.wrap(desc, 72, break_on_hyphens=False):
                out.append(("\\&" if line[0] in ".'" else "") + roff_escape(line))
    return "\n".join(out) + "\n"


def main():
    mode, helpfile = sys.argv[1], sys.argv[2]
    groups = help_groups(open(helpfile, encoding="utf-8").read())
    if mode == "render":
        sys.stdout.write(render(groups))
        return
    want = [e for _, es in groups for e in es]
    got = man_entries(open(sys.argv[3], encoding="utf-8").read())
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if w != g:
            print("entry %d differs:\n  --help: %r\n  man:    %r" % (i + 1, w, g))
            sys.exit(1)
    print("%d options agree" % len(want))


if __name__ == "__main__":
    main()
