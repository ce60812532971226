import sqlite3


def count_rows(db: sqlite3.Connection) -> int:
    cur = db.cursor()
    cur.execute("SELECT * FROM events")
    return len(cur.fetchall())  # ok: PA104 (the query ran on the line above; fetchall is not a query)


def names(items: list) -> int:
    return len(list(items))  # ok: PA104 (not a query)
