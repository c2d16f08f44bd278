#!/usr/bin/env python3
"""Writes signature_test.cpp: for every function mapping in rules/*.json, a
static_assert that the green replacement has exactly the original's type,
and for every type mapping, that the green type exists and is usable as
the std one is. Output goes to stdout.

Every rule file in rules/ is read: there is no list of modules to forget a
new one in. A rule file whose header (its "header" key, under
runtime/include/) does not exist, or that lacks "module" or "header", is an
error: the script prints what is wrong on stderr, writes an #error for each
into its output (so a stale or redirected output cannot compile either) and
exits with status 1, which fails the build.

--rules-dir and --include-dir (defaults: the repository's rules/ and
runtime/include/) exist so that the failure can be tried on other trees.

The output compiles at every standard from C++11 to C++23: a mapping whose
original exists only at some standards (FEATURES) is checked where the
library's own feature macro says the original exists, and where it does not,
the green name must not exist either (looking it up through a namespace
that also holds a stand-in of that name must find only the stand-in)."""
import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Templates are compared on one instantiation each.
TEMPLATE_ARGS = {
    "std::this_thread::sleep_for": "<long, std::milli>",
    "std::this_thread::sleep_until":
        "<std::chrono::steady_clock, std::chrono::steady_clock::duration>",
    "std::call_once": "<void (*)()>",
    "std::atomic_wait": "<int>",
    "std::atomic_wait_explicit": "<int>",
    "std::atomic_notify_one": "<int>",
    "std::atomic_notify_all": "<int>",
}
# Class templates are checked on one specialisation each.
TYPE_ARGS = {
    "std::promise": "<int>",
    "std::future": "<int>",
    "std::shared_future": "<int>",
    "std::packaged_task": "<int()>",
}

# ssl and psycopg need their libraries' headers: checked where present.
OPTIONAL = {"ssl": "<openssl/ssl.h>", "psycopg": "<libpq-fe.h>"}

# Where the original's type mentions a rewritten type, so does the green
# one's: get_id returns the green thread::id, exactly as the rewrite spells it.
EXPECTED = {
    "std::this_thread::get_id": "evy::green::thread::id (*)() noexcept",
    "std::call_once": "void (*)(evy::green::once_flag &, void (*&&)())",
}
# Overloaded function templates: a call's result type, green against std.
CALLS = {
    "std::async": ("(std::launch::async, std::declval<int (*)()>())",
                   "evy::green::future<int>", "std::future<int>"),
}


# Originals that exist only where the library says so, by its own macros:
# libstdc++'s feature-test macros, glibc's _GNU_SOURCE extensions.
GLIBC_CLOCK_WAITS = "defined(__USE_GNU) && __GLIBC_PREREQ(2, 30)"
FEATURES = {
    "std::jthread": "defined(__cpp_lib_jthread)",
    "std::shared_mutex": "defined(__cpp_lib_shared_mutex)",
    "std::shared_timed_mutex": "defined(__cpp_lib_shared_timed_mutex)",
    "std::counting_semaphore": "defined(__cpp_lib_semaphore)",
    "std::binary_semaphore": "defined(__cpp_lib_semaphore)",
    "std::latch": "defined(__cpp_lib_latch)",
    "std::barrier": "defined(__cpp_lib_barrier)",
    "pthread_yield": "defined(__USE_GNU)",
    "pthread_setname_np": "defined(__USE_GNU)",
    "pthread_getname_np": "defined(__USE_GNU)",
    "pthread_setaffinity_np": "defined(__USE_GNU)",
    "pthread_getaffinity_np": "defined(__USE_GNU)",
    "pthread_mutex_clocklock": GLIBC_CLOCK_WAITS,
    "pthread_cond_clockwait": GLIBC_CLOCK_WAITS,
    "pthread_rwlock_clockrdlock": GLIBC_CLOCK_WAITS,
    "pthread_rwlock_clockwrlock": GLIBC_CLOCK_WAITS,
    "sem_clockwait": GLIBC_CLOCK_WAITS,
    "std::atomic_wait": "defined(__cpp_lib_atomic_wait)",
    "std::atomic_wait_explicit": "defined(__cpp_lib_atomic_wait)",
    "std::atomic_notify_one": "defined(__cpp_lib_atomic_wait)",
    "std::atomic_notify_all": "defined(__cpp_lib_atomic_wait)",
    "close_range": "defined(__USE_GNU) && __GLIBC_PREREQ(2, 34)",
    "closefrom": "defined(__USE_GNU) && __GLIBC_PREREQ(2, 34)",
}


def feature_guarded(original, green, check):
    """check where the original exists; elsewhere, that green does not."""
    if original not in FEATURES:
        return [check]
    name = green.split("::")[-1]
    return ["#if %s" % FEATURES[original], check, "#else",
            "namespace evy_absent { struct %s {}; }" % name,
            "static_assert(std::is_same<evy_lookup::%s, evy_absent::%s>::value, "
            "\"%s exists where %s does not\");" % (name, name, green, original),
            "#endif"]


def guarded(module, lines):
    if module not in OPTIONAL:
        return lines
    return ["#if __has_include(%s)" % OPTIONAL[module]] + lines + ["#endif"]


def replacement(value):
    """A mapping's green name: "to" of {"to": ..., "since": ...}, or the string."""
    return value["to"] if isinstance(value, dict) else value


def load_rules(rules_dir, include_dir):
    """Returns ([(module, header, rules)], [error message]) for every
    rules_dir/*.json, sorted by file name."""
    modules, errors = [], []
    files = sorted(rules_dir.glob("*.json"))
    if not files:
        errors.append(f"{rules_dir}: no rule files")
    for path in files:
        try:
            rules = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            errors.append(f"{path}: cannot read: {e}")
            continue
        if "functions" not in rules and "types" not in rules:
            continue  # a list of blocking calls or an offload module: no mappings
        module, header = rules.get("module"), rules.get("header")
        if not isinstance(module, str) or not module:
            errors.append(f"{path}: no \"module\"")
            continue
        if not isinstance(header, str) or not header:
            errors.append(f"{path}: module '{module}' names no \"header\"")
            continue
        if not (include_dir / header).is_file():
            errors.append(f"{path}: module '{module}' names header '{header}', "
                          f"which does not exist under {include_dir}: its "
                          f"mappings would go unchecked")
            continue
        modules.append((module, header, rules))
    return modules, errors


def generate(modules, errors):
    out = ["// Generated by gen_signature_test.py from rules/*.json: do not edit.",
           "// Every green replacement must have exactly the original's type.",
           "// clang-format off"]
    out += ["#error \"%s\"" % e.replace("\\", "\\\\").replace("\"", "\\\"")
            for e in errors]
    for module, header, _ in modules:
        out += guarded(module, ["#include <%s>" % header])
    out += ["", "#include <atomic>", "#include <chrono>", "#include <future>",
            "#include <thread>", "#include <mutex>",
            "#include <condition_variable>", "#include <type_traits>"]
    # Headers that older standard libraries may not have at all.
    for header in ["version", "shared_mutex", "semaphore", "latch", "barrier"]:
        out += ["#if __has_include(<%s>)" % header, "#include <%s>" % header, "#endif"]
    out += ["",
            "// A stand-in of each optional name, to see that the green one is absent.",
            "namespace evy_absent {}",
            "namespace evy_lookup { using namespace evy::green; using namespace evy_absent; }",
            "",
            "// glibc deprecates pthread_yield; its type must still match.",
            "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"",
            "// decltype(&read) carries glibc's access attributes, which GCC drops.",
            "#pragma GCC diagnostic ignored \"-Wignored-attributes\"", ""]
    for module, _, rules in modules:
        body = []
        for original, value in rules.get("functions", {}).items():
            green = replacement(value)
            args = TEMPLATE_ARGS.get(original, "")
            qualified = original if "::" in original else "::" + original
            if original in CALLS:
                call, green_type, std_type = CALLS[original]
                body.append(f"static_assert(std::is_same<decltype({green}{call}), {green_type}>::value"
                            f" && std::is_same<decltype({original}{call}), {std_type}>::value,"
                            f" \"{green}\");")
                continue
            if original in EXPECTED:
                body.append(
                    f"static_assert(std::is_same<{EXPECTED[original]}, "
                    f"decltype(&{green}{args})>::value, \"{green}\");")
                continue
            body += feature_guarded(original, green,
                f"static_assert(std::is_same<decltype(&{qualified}{args}), "
                f"decltype(&{green}{args})>::value, \"{green}\");")
        for original, value in rules.get("types", {}).items():
            green = replacement(value)
            body += feature_guarded(original, green, f"static_assert(sizeof({green}"
                        f"{TYPE_ARGS.get(original, '')}"
                        f"{'<1>' if 'semaphore' in green and 'binary' not in green else ''}"
                        f"{'<>' if green.endswith('barrier') else ''}) > 0, \"{green}\");")
        out += ["// " + module] + guarded(module, body)
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules-dir", type=pathlib.Path, default=ROOT / "rules")
    parser.add_argument("--include-dir", type=pathlib.Path,
                        default=ROOT / "runtime" / "include")
    args = parser.parse_args()
    modules, errors = load_rules(args.rules_dir, args.include_dir)
    print(generate(modules, errors))
    for e in errors:
        print(f"gen_signature_test.py: error: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
