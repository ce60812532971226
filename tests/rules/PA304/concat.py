import numpy as np


def render_rows(rows):
    html = ""
    for row in rows:
        html += "<tr><td>" + row.name + "</td></tr>"  # expect: PA304
    return html


def render_fstring(rows):
    out = f"rows: {len(rows)}\n"
    for row in rows:
        out += f"{row.id}\n"  # expect: PA304
    return out


def render_str_call(items):
    text = str()
    i = 0
    while i < len(items):
        text += items[i]  # expect: PA304
        i += 1  # ok: PA304 (int counter)
    return text


def annotated(parts):
    buf: str = ""
    for p in parts:
        buf += p  # expect: PA304
    return buf


def param_annotated(prefix: str, parts):
    for p in parts:
        prefix += p  # expect: PA304
    return prefix


def totals(values):
    total = 0
    for v in values:
        total += v  # ok: PA304 (int)
    return total


def lists(values):
    acc = []
    for v in values:
        acc += [v]  # ok: PA304 (list)
    return acc


def arrays(chunks):
    arr = np.zeros(10)
    for c in chunks:
        arr += c  # ok: PA304 (numpy array)
    return arr


def unknown_type(values, start):
    acc = start
    for v in values:
        acc += v  # ok: PA304 (type unknown: never guessed)
    return acc


def per_iteration(rows):
    lines = []
    for row in rows:
        line = ""
        line += row.name  # ok: PA304 (reset every iteration)
        lines.append(line)
    return "\n".join(lines)


def nested_reset(groups):
    out = []
    for group in groups:
        s = ""
        for item in group:
            s += item  # expect: PA304
        out.append(s)
    return out


def not_in_loop(a, b):
    s = "x"
    s += a  # ok: PA304 (not in a loop)
    return s + b


def join_is_fine(rows):
    return "".join(str(r) for r in rows)  # ok: PA304


def bytes_buffer(chunks):
    data = b""
    for c in chunks:
        data += c  # ok: PA304 (bytes: another rule's concern)
    return data
