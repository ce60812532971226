def checks(users, orders, rows):
    if any([u.active for u in users]):  # expect: PA302
        pass
    ok = all([o.paid for o in orders])  # expect: PA302
    n = len([r for r in rows if r.valid])  # expect: PA302
    ids = set([u.id for u in users])  # expect: PA302
    frozen = frozenset([u.id for u in users])  # expect: PA302
    total = sum([o.total for o in orders])  # expect: PA302
    biggest = max([o.total for o in orders])  # expect: PA302
    smallest = min([o.total for o in orders], default=0)  # expect: PA302
    ordered = sorted([o.total for o in orders])  # expect: PA302
    tup = tuple([o.id for o in orders])  # expect: PA302
    return ok, n, ids, frozen, total, biggest, smallest, ordered, tup


def fine(users, rows):
    names = ", ".join([u.name for u in users])  # ok: PA302 (join materialises anyway)
    any(u.active for u in users)  # ok: PA302
    len(rows)  # ok: PA302
    {u.id for u in users}  # ok: PA302
    values = [r.value for r in rows]  # ok: PA302 (the list is kept)
    any([True, False])  # ok: PA302 (a literal list, not a comprehension)
    sum([r.value for r in rows], 0.0)  # expect: PA302
    return names, values


def shadowed(items):
    def any(xs):  # a local function named any
        return bool(xs)

    return any([i for i in items])  # ok: PA302 (not the builtin)


def hot(batches):
    for batch in batches:
        if all([x > 0 for x in batch]):  # expect: PA302
            yield batch
