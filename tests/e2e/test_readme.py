"""The README's five-minute walkthrough works exactly as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough() -> str:
    text = README.read_text("utf-8")
    section = text.split("## 五分钟上手", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_readme_walkthrough_runs(tmp_path):
    script = walkthrough().replace("source .venv/bin/activate\n", "")
    bin_dir = os.path.dirname(sys.executable)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANZI_")}
    env["PATH"] = bin_dir + os.pathsep + env["PATH"]
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "记-2025-01-0003" in done.stdout  # the red-ink reversal
    assert '"closing_debit": "48600.00"' in done.stdout  # bank balance in the JSON trial balance
    assert "收益及收益分配表" in done.stdout
    assert "ZL-2025-001" in done.stdout and "145,800.00" in done.stdout  # the lease register's total rent
    assert "党群服务中心提升补助" in done.stdout
    assert "一致：GK-" in done.stdout  # the published file verifies against the ledger
    assert "完整：" in done.stdout  # audit verify: the hash chain is intact
    assert (tmp_path / "公开栏").is_dir() and any(p.suffix == ".pdf" for p in (tmp_path / "公开栏").iterdir())


def test_readme_error_example_is_what_the_program_says(tmp_path):
    text = README.read_text("utf-8")
    shown = re.search(r"```text\n\$ (sanzi .*?)\n(.*?)\n```", text, re.S)
    command, expected = shown.group(1), shown.group(2)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANZI_")}
    env.update(PATH=os.path.dirname(sys.executable) + os.pathsep + env["PATH"], SANZI_DB="x.db", SANZI_OPERATOR="李会计")
    setup = ("sanzi init && sanzi collective add 330185101201 --name 东山村 --township 东山镇 --county 临安区 --start 2025-01"
             " && sanzi member add 李会计 --role accountant")
    subprocess.run(["bash", "-c", setup], cwd=tmp_path, env=env, check=True, capture_output=True)
    done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr.strip() == expected
