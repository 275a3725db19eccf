"""Generate the banks that ``bench_validate.py`` times.

Writes a throw-away bank project (a folder with a ``qbank.toml``, so bank ids are relative to
it) holding:

* ``fastapi/heavy.yaml``: a FastAPI-heavy bank (default 300 questions): about 60 % FastAPI
  ``TestClient`` scenarios of several kinds (``output``, ``code_choice`` with 3-4 choices,
  ``multiple_choice`` with ``value`` choices, ``bug`` with ``fix``) and 40 % plain Python,
  with ``requires: [fastapi, httpx]`` and a ``warmup`` that does one tiny request;
* ``cache/part-NN.yaml``: a plain bank of small questions (default 5,000, in files of 500),
  used for the warm-cache figure.

Every generated question is meant to validate clean (``qbank validate`` exits 0); the
parameters vary with the question number so that no two questions are the same run.

    python benchmarks/generate_bank.py OUT [--questions N] [--cache-questions M] [--quick]
"""

from __future__ import annotations

import argparse
import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

QUICK_QUESTIONS = 30
QUICK_CACHE_QUESTIONS = 200
CACHE_FILE_SIZE = 500

WARMUP = """\
import fastapi, fastapi.testclient, httpx
_app = fastapi.FastAPI()


@_app.get("/ping")
def _ping():
    return {"ok": True}


fastapi.testclient.TestClient(_app).get("/ping")
"""


def _code(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


Question = dict[str, Any]


# --- FastAPI scenarios -------------------------------------------------------------------


def fa_output(i: int) -> Question:
    n, k = i % 17 + 2, i % 5 + 2
    variant = i % 4
    if variant == 0:
        code = f"""
            from fastapi import FastAPI
            from fastapi.testclient import TestClient

            app = FastAPI()

            @app.get("/items/{{item_id}}")
            def read_item(item_id: int, q: str | None = None):
                return {{"id": item_id * {k}, "q": q}}

            r = TestClient(app).get("/items/{n}", params={{"q": "x{i}"}})
            print(r.status_code, r.json()["id"], r.json()["q"])
            """
        answer = f"200 {n * k} x{i}\n"
        wrong = [f"200 {n} x{i}\n", f"422 {n * k} x{i}\n", f"200 {n * k} None\n"]
    elif variant == 1:
        code = f"""
            from fastapi import FastAPI
            from fastapi.testclient import TestClient

            app = FastAPI()

            @app.get("/square/{{n}}")
            def square(n: int):
                return n * n

            client = TestClient(app)
            print(client.get("/square/{n}").json())
            print(client.get("/square/abc{i}").status_code)
            """
        answer = f"{n * n}\n422\n"
        wrong = [f"{n * n}\n500\n", f"{n * n}\n404\n", f"{n * 2}\n422\n"]
    elif variant == 2:
        code = f"""
            from fastapi import FastAPI
            from fastapi.testclient import TestClient
            from pydantic import BaseModel

            app = FastAPI()

            class Order(BaseModel):
                price: float
                quantity: int = {k}

            @app.post("/orders")
            def create(order: Order):
                return {{"total": order.price * order.quantity}}

            client = TestClient(app)
            print(client.post("/orders", json={{"price": {n}}}).json()["total"])
            print(client.post("/orders", json={{"quantity": 1}}).status_code)
            """
        answer = f"{float(n * k)}\n422\n"
        wrong = [f"{float(n)}\n422\n", f"{float(n * k)}\n200\n", f"{n * k}\n400\n"]
    else:
        code = f"""
            from fastapi import FastAPI, HTTPException
            from fastapi.testclient import TestClient

            app = FastAPI()
            stock = {{"apple": {n}, "pear": 0}}

            @app.get("/stock/{{name}}")
            def get_stock(name: str):
                if name not in stock:
                    raise HTTPException(status_code=404, detail="no " + name)
                return {{"name": name, "count": stock[name]}}

            client = TestClient(app)
            print(client.get("/stock/apple").json()["count"])
            print(client.get("/stock/kiwi{i}").json()["detail"])
            """
        answer = f"{n}\nno kiwi{i}\n"
        wrong = [f"{n}\nNot Found\n", f"0\nno kiwi{i}\n", f"{n}\nNone\n"]
    return {
        "type": "output",
        "prompt": "What does this program print?",
        "code": _code(code),
        "answer": answer,
        "choices": wrong[: 2 + i % 2],
    }


def fa_code_choice(i: int) -> Question:
    a, b = i % 11 + 1, i % 7 + 3
    variant = i % 3
    if variant == 0:
        code = """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/add")
            def add(a: int, b: int):
                ____
            """
        run = f"""
            from fastapi.testclient import TestClient
            r = TestClient(app).get("/add", params={{"a": {a}, "b": {b}}})
            """
        check = f'assert r.status_code == 200 and r.json() == {{"total": {a + b}}}, r.text\n'
        choices = [
            {"code": 'return {"total": a + b}', "correct": True},
            {"code": 'return {"total": a - b}'},
            {"code": 'return {"sum": a + b}'},
            {"code": 'return {"total": a + b'},
        ]
    elif variant == 1:
        code = f"""
            from fastapi import FastAPI

            app = FastAPI()

            ____
            def hello(name: str = "n{i}"):
                return {{"hello": name}}
            """
        run = """
            from fastapi.testclient import TestClient
            r = TestClient(app).get("/hello")
            """
        check = f'assert r.json() == {{"hello": "n{i}"}}, r.text\n'
        choices = [
            {"code": '@app.get("/hello")', "correct": True},
            {"code": '@app.post("/hello")'},
            {"code": '@app.get("hello")'},
            {"code": '@app.get("/hello/{name}")'},
        ]
    else:
        code = f"""
            from fastapi import Depends, FastAPI

            app = FastAPI()

            def get_limit():
                return {a}

            @app.get("/page")
            ____
                return {{"limit": limit}}
            """
        run = """
            from fastapi.testclient import TestClient
            r = TestClient(app).get("/page")
            """
        check = f'assert r.json() == {{"limit": {a}}}, r.text\n'
        choices = [
            {"code": "def page(limit: int = Depends(get_limit)):", "correct": True},
            {"code": "def page(limit: int = get_limit):"},
            {"code": "def page(limit: int = Depends(get_limit())):"},
        ]
    return {
        "type": "code_choice",
        "prompt": "Which line makes the endpoint behave as the driver expects?",
        "code": _code(code),
        "run": _code(run),
        "check": check,
        "choices": choices[: 3 + (i % 2 if len(choices) > 3 else 0)],
    }


def fa_values(i: int) -> Question:
    n = i % 13 + 1
    if i % 2 == 0:
        code = f"""
            from fastapi import FastAPI, Query

            app = FastAPI()

            @app.get("/repeat")
            def repeat(word: str, times: int = Query(default=2, le={n + 2})):
                return {{"text": word * times}}
            """
        run = f"""
            from fastapi.testclient import TestClient
            client = TestClient(app)
            r1 = client.get("/repeat", params={{"word": "ab"}})
            r2 = client.get("/repeat", params={{"word": "ab", "times": {n + 3}}})
            result = [r1.json()["text"], r2.status_code]
            """
        choices = [
            {"value": ["abab", 422], "correct": True},
            {"value": ["ab", 422]},
            {"value": ["abab", 200]},
            {"value": ["abab", 400]},
        ]
    else:
        code = f"""
            from fastapi import BackgroundTasks, FastAPI

            app = FastAPI()
            events = []

            def record(tag: str):
                events.append(tag)

            @app.post("/do/{{tag}}")
            async def do(tag: str, tasks: BackgroundTasks):
                events.append("start-" + tag)
                tasks.add_task(record, tag)
                return {{"n": len(events) + {n}}}
            """
        run = """
            from fastapi.testclient import TestClient
            client = TestClient(app)
            r = client.post("/do/a")
            client.post("/do/b")
            result = [r.json()["n"], events]
            """
        choices = [
            {"value": [n + 1, ["start-a", "a", "start-b", "b"]], "correct": True},
            {"value": [n + 2, ["start-a", "a", "start-b", "b"]]},
            {"value": [n + 1, ["start-a", "start-b", "a", "b"]]},
            {"value": [n + 1, ["start-a", "start-b"]]},
        ]
    return {
        "type": "multiple_choice",
        "prompt": "What is `result` after the driver runs?",
        "code": _code(code),
        "run": _code(run),
        "check": "assert result == answer, result\n",
        "choices": choices[: 3 + i % 2],
    }


def fa_bug(i: int) -> Question:
    n = i % 9 + 1
    if i % 2 == 0:
        template = """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/users/{{user_id}}")
            def get_user({param}: int):
                return {{"user": {param} + {n}}}
            """
        q: Question = {
            "code": _code(template.format(param="id", n=n)),
            "fix": _code(template.format(param="user_id", n=n)),
            "run": _code(
                f"""
                from fastapi.testclient import TestClient
                r = TestClient(app).get("/users/{i}")
                """
            ),
            "check": f'assert r.status_code == 200 and r.json() == {{"user": {i + n}}}, r.text\n',
            "choices": [
                {
                    "text": "The parameter name does not match the path, so it is a query parameter.",
                    "correct": True,
                },
                "Path parameters must be declared as `str`.",
                "The endpoint must be `async def`.",
            ],
        }
    else:
        template = """
            from fastapi import BackgroundTasks, FastAPI

            app = FastAPI()

            def write_log():
                with open("log.txt", "a") as f:
                    f.write("entry {n}\\n")

            @app.post("/log")
            async def log(tasks: BackgroundTasks):
                tasks.add_task({task})
                return {{"ok": True}}
            """
        q = {
            "code": _code(template.format(task="write_log()", n=n)),
            "fix": _code(template.format(task="write_log", n=n)),
            "run": _code(
                """
                from fastapi.testclient import TestClient
                r = TestClient(app).post("/log")
                """
            ),
            "check": f'assert r.json() == {{"ok": True}}\nassert open("log.txt").read() == "entry {n}\\n"\n',
            "expect": {"raises": "TypeError"},
            "choices": [
                {
                    "text": "`write_log()` is called at once and `None` is scheduled.",
                    "correct": True,
                },
                "Background tasks must be `async def`.",
                "The file must be opened with mode `w`.",
                "`BackgroundTasks` must be created with `BackgroundTasks()`.",
            ],
        }
    return {"type": "bug", "prompt": "Why does the endpoint not behave as intended?", **q}


# --- plain Python ------------------------------------------------------------------------


def py_output(i: int) -> Question:
    n = i % 23 + 2
    code = f"""
        items = list(range({n}))
        evens = [x for x in items if x % 2 == 0]
        print(len(evens), sum(evens))
        print("-".join(str(x) for x in items[-2:]))
        """
    evens = [x for x in range(n) if x % 2 == 0]
    answer = f"{len(evens)} {sum(evens)}\n{n - 2}-{n - 1}\n"
    wrong = [
        f"{len(evens) + 1} {sum(evens)}\n{n - 2}-{n - 1}\n",
        f"{len(evens)} {sum(evens)}\n{n - 1}-{n}\n",
        f"{len(evens)} {sum(range(n))}\n{n - 2}-{n - 1}\n",
    ]
    return {
        "type": "output",
        "prompt": "What does this program print?",
        "code": _code(code),
        "answer": answer,
        "choices": wrong[: 2 + i % 2],
    }


def py_code_choice(i: int) -> Question:
    n = i % 19 + 3
    return {
        "type": "code_choice",
        "prompt": "Which line leaves `words` sorted by length, in place?",
        "code": _code(
            f"""
            words = ["w{i}" + "a" * ({n} - k) for k in range({n})]
            ____
            assert words == sorted(words, key=len) and len(words) == {n}
            """
        ),
        "choices": [
            {"code": "words.sort(key=len)", "correct": True},
            {"code": "sorted(words, key=len)"},
            {"code": "words = words.sort(key=len)"},
            {"code": "words.sort(key=len, reverse=True)"},
        ][: 3 + i % 2],
    }


def py_values(i: int) -> Question:
    n = i % 29 + 1
    return {
        "type": "multiple_choice",
        "prompt": "What is `counts` after the code runs?",
        "code": _code(
            f"""
            from collections import Counter
            counts = dict(Counter(c for c in "ab" * {n} + "c"))
            """
        ),
        "check": "assert counts == answer, counts\n",
        "choices": [
            {"value": {"a": n, "b": n, "c": 1}, "correct": True},
            {"value": {"a": n, "b": n}},
            {"value": {"a": 2 * n, "b": 2 * n, "c": 1}},
        ],
    }


def py_true_false(i: int) -> Question:
    n = i % 31 + 1
    truth = n % 3 == 0
    return {
        "type": "true_false",
        "prompt": f"True or false: `{n}` is divisible by 3 (so `flag` is True).",
        "code": f"flag = {n} % 3 == 0\n",
        "check": "assert flag == answer\n",
        "answer": truth,
    }


def py_bug(i: int) -> Question:
    n = i % 15 + 2
    template = """
        def total(values):
            result = 0
            for k in range({start}, len(values)):
                result += values[k]
            return result

        data = list(range(1, {n}))
        """
    return {
        "type": "bug",
        "prompt": "`total(data)` should add every element. Why does it not?",
        "code": _code(template.format(start=1, n=n + 1)),
        "fix": _code(template.format(start=0, n=n + 1)),
        "check": f"assert total(data) == {n * (n + 1) // 2}, total(data)\n",
        "choices": [
            {"text": "The loop starts at index 1 and skips the first element.", "correct": True},
            "`result` must start at 1.",
            "`range` must stop at `len(values) + 1`.",
        ],
    }


FASTAPI_KINDS: list[Callable[[int], Question]] = [fa_output, fa_code_choice, fa_values, fa_bug]
PYTHON_KINDS: list[Callable[[int], Question]] = [
    py_output,
    py_code_choice,
    py_values,
    py_true_false,
    py_bug,
]
CACHE_KINDS: list[Callable[[int], Question]] = [py_output, py_values, py_true_false]


def heavy_questions(count: int) -> list[Question]:
    """`count` questions: 3 of every 5 FastAPI scenarios, the others plain Python."""
    questions = []
    for i in range(count):
        if i % 5 < 3:
            maker = FASTAPI_KINDS[(i // 5 * 3 + i % 5) % len(FASTAPI_KINDS)]
        else:
            maker = PYTHON_KINDS[(i // 5 * 2 + i % 5 - 3) % len(PYTHON_KINDS)]
        question = maker(i)
        questions.append({"id": f"q{i:05d}-{maker.__name__.replace('_', '-')}", **question})
    return questions


def small_questions(count: int, start: int = 0) -> list[Question]:
    questions = []
    for i in range(start, start + count):
        maker = CACHE_KINDS[i % len(CACHE_KINDS)]
        questions.append({"id": f"q{i:05d}-{maker.__name__.replace('_', '-')}", **maker(i)})
    return questions


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    block = "\n" in data and not any(line != line.rstrip() for line in data.split("\n"))
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if block else None)


_Dumper.add_representer(str, _str)


def _write(path: Path, bank: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(bank, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text, encoding="utf-8")


def generate(out: str | os.PathLike[str], questions: int, cache_questions: int) -> dict[str, Path]:
    """Write the project under `out`; returns {"heavy": file, "cache": folder}."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    (root / "qbank.toml").write_text("# generated by benchmarks/generate_bank.py\n")
    heavy = root / "fastapi" / "heavy.yaml"
    _write(
        heavy,
        {
            "title": "Generated FastAPI-heavy bank",
            "requires": ["fastapi", "httpx"],
            "timeout": 20,
            "warmup": WARMUP,
            "questions": heavy_questions(questions),
        },
    )
    cache = root / "cache"
    for part, start in enumerate(range(0, cache_questions, CACHE_FILE_SIZE)):
        size = min(CACHE_FILE_SIZE, cache_questions - start)
        _write(
            cache / f"part-{part:02d}.yaml",
            {
                "title": f"Generated small questions, part {part}",
                "questions": small_questions(size, start),
            },
        )
    return {"heavy": heavy, "cache": cache}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write the bank project into")
    parser.add_argument("--questions", type=int, default=300, help="FastAPI-heavy bank size")
    parser.add_argument(
        "--cache-questions", type=int, default=5000, help="small-question bank size"
    )
    parser.add_argument("--quick", action="store_true", help="small banks, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.questions, args.cache_questions = QUICK_QUESTIONS, QUICK_CACHE_QUESTIONS
    paths = generate(args.out, args.questions, args.cache_questions)
    print(f"wrote {paths['heavy']} and {paths['cache']}/")


if __name__ == "__main__":
    main()
