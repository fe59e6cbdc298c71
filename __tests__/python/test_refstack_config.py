import subprocess
import sys

from conftest import program


def test_runs_refstack_client_with_its_arguments():
    done = subprocess.run(
        [sys.executable, program("refstack_config.py"), "config", "--help"],
        input="{}",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "--use-test-accounts" in done.stdout


def test_without_refstack_client_it_says_which_python(tmp_path):
    # -I: isolated mode; -S: no site-packages, so refstack_client is not importable.
    done = subprocess.run(
        [sys.executable, "-I", "-S", program("refstack_config.py"), "config"],
        input="{}",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 3
    assert "refstack_client is not importable by %s" % sys.executable in done.stderr
