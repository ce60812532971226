import copy

SALARY_BANDS = {"junior": (40, 60), "senior": (80, 120)}
REGISTRY = {}
LIMITS = [1, 2, 3]


def register(name, fn):
    REGISTRY[name] = fn


class Config:
    DEFAULTS = {"a": 1}


def bands():
    b = dict(SALARY_BANDS)  # expect: PA306
    return [k for k in b]


def registry_snapshot():
    r = dict(REGISTRY)  # ok: PA306 (the constant is mutated elsewhere in the module)
    for k in r:
        print(k)


def limits_sum():
    lim = list(LIMITS)  # expect: PA306
    return sum(lim)


def totals(orders: list):
    snapshot = list(orders)  # expect: PA306
    return sum(o.total for o in snapshot)


def lookup(config: dict, key):
    cfg = dict(config)  # expect: PA306
    return cfg[key] if key in cfg else None


def iterate():
    items = [1, 2, 3]
    view = items[:]  # expect: PA306
    for i in view:
        print(i)


def deep(settings: dict):
    s = copy.deepcopy(settings)  # expect: PA306
    print(s["name"])


def method_copy(data: dict):
    d = data.copy()  # expect: PA306
    return len(d)


def mutated_copy(orders: list):
    work = list(orders)  # ok: PA306 (mutated below)
    work.append(None)
    return len(work)


def source_mutated(queue: list):
    pending = list(queue)  # ok: PA306 (the source changes while the copy is used)
    queue.clear()
    for p in pending:
        print(p)


def materialise(rows):
    rows = list(rows)  # ok: PA306 (unknown iterable: a materialisation, not a copy)
    return len(rows), rows[0]


def generator_to_list(gen_factory):
    items = list(gen_factory())  # ok: PA306 (a call result, not a copy)
    return items[0]


def returned(items: list):
    out = list(items)  # ok: PA306 (returned: the caller may mutate it)
    return out


def escapes(items: list, sink):
    c = list(items)  # ok: PA306 (handed to an unknown callee)
    sink(c)


def item_store(mapping: dict):
    m = dict(mapping)  # ok: PA306 (item assignment)
    m["x"] = 1
    print(m)


def numpy_slice(arr):
    view = arr[:]  # ok: PA306 (type unknown: a numpy slice is a view)
    return view.sum()


class Worker:
    def __init__(self):
        self.alive = {}

    def snapshot(self):
        lives = self.alive.copy()  # ok: PA306 (snapshot of shared state that other code mutates)
        for k in lives:
            print(k)


def hash_prefix(h1):
    h2 = h1.copy()  # ok: PA306 (unknown type: hash objects copy state deliberately)
    return h2.digest()


def unknown_deepcopy(msg):
    m = copy.deepcopy(msg)  # ok: PA306 (unknown type)
    print(m)
