"""How every end-to-end runner here ends: the failures it collected, or PASS."""


def verdict(failures):
    """Prints FAIL with each failure, or PASS; returns the exit code."""
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("PASS")
    return 0
