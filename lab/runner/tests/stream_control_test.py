#!/usr/bin/env python3
"""`osilab run LESSON --stream --step` as the viewer drives it: stdout is nothing but the pcapng
session stream, block by block as it happens; stdin takes `next` / `stop` lines.

The driver reads blocks as they arrive and answers each step only after that step's end and
"after" snapshot have arrived: that can only work if every block is written at once (were the
stream buffered or written at the end, the driver would wait forever). Then `stop` (or, in the
second run, closing stdin) must end the run cleanly: exit 0, a complete stream, nothing left.

Last, a `--save` run killed with SIGKILL mid-lesson must leave a file that reads to its end.

  stream_control_test.py OSILAB LESSONS_DIR
Exit 77 (skipped) where the lab network cannot start and OSILAB_REQUIRE_LABNET is unset.
"""
import ctypes
import json
import os
import select
import struct
import subprocess
import sys
import tempfile
import time

STEPS_BEFORE_STOP = 7


def read_exact(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def blocks(stream):
    """Yields (type, body) of each pcapng block as soon as it is complete."""
    endian = "<"
    while True:
        head = read_exact(stream, 8)
        if head is None:
            return
        if head[:4] == b"\x0a\x0d\x0d\x0a":
            bom = read_exact(stream, 4)
            endian = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            length = struct.unpack(endian + "I", head[4:8])[0]
            body = bom + read_exact(stream, length - 12)
        else:
            length = struct.unpack(endian + "I", head[4:8])[0]
            body = read_exact(stream, length - 8)
        if body is None:
            raise AssertionError("the stream ends inside a block")
        block_type = struct.unpack(endian + "I", head[:4])[0]
        yield block_type, body[:-4]


def record(body):
    """An OSI Lab custom block's (kind, json), or None."""
    data = body[4:]  # after the PEN
    if data[:4] != b"OSLB":
        return None
    n = struct.unpack(">I", data[8:12])[0]
    return data[5], json.loads(data[12:12 + n])


def drive(osilab, lessons, lesson, end_with):
    proc = subprocess.Popen([osilab, "run", lesson, "--lessons", lessons, "--stream", "--step"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdin.write(b"next\n")
    proc.stdin.flush()
    answered = 1
    kinds = []
    packets = 0
    ended_steps = []
    for block_type, body in blocks(proc.stdout):
        if block_type == 6:
            packets += 1
            continue
        if block_type not in (0xBAD, 0x40000BAD):
            continue
        rec = record(body)
        if rec is None:
            continue
        kind, fields = rec
        kinds.append(kind)
        if kind == 3 and fields["phase"] == "after":
            ended_steps.append(fields["step"])
            # The step is over and the viewer has seen all of it: run the next or stop.
            if answered < STEPS_BEFORE_STOP:
                proc.stdin.write(b"next\n")
                proc.stdin.flush()
                answered += 1
            elif end_with == "stop":
                proc.stdin.write(b"stop\n")
                proc.stdin.close()
            else:
                proc.stdin.close()
    code = proc.wait()
    err = proc.stderr.read().decode(errors="replace")
    if code == 5 and not os.environ.get("OSILAB_REQUIRE_LABNET"):
        print("SKIP: no lab network here:", err.strip())
        sys.exit(77)
    assert code == 0, f"{end_with}: osilab exited {code}: {err}"
    assert kinds and kinds[0] == 5, f"{end_with}: the stream does not start with RunStart"
    assert ended_steps == list(range(STEPS_BEFORE_STOP)), f"{end_with}: steps {ended_steps}"
    assert kinds.count(1) == STEPS_BEFORE_STOP, f"{end_with}: {kinds.count(1)} step marks"
    assert kinds.count(4) == STEPS_BEFORE_STOP, f"{end_with}: {kinds.count(4)} step ends"
    print(f"ok   {end_with}: {len(kinds)} records, {packets} packets, "
          f"{STEPS_BEFORE_STOP} steps, then the run ended cleanly")


def killed_save(osilab, lessons, lesson):
    """`--save F` killed with SIGKILL in the middle: F reads to its end, with every step written
    before the kill."""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "killed.pcapng")
        proc = subprocess.Popen([osilab, "run", lesson, "--lessons", lessons, "--step",
                                 "--save", path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        headers = 0
        for line in proc.stdout:
            if line.startswith("── ".encode()):
                headers += 1
                if headers > STEPS_BEFORE_STOP:
                    break  # the steps before this one are over, and written
                proc.stdin.write(b"next\n")
                proc.stdin.flush()
        if proc.poll() is not None and proc.returncode == 5 and not os.environ.get("OSILAB_REQUIRE_LABNET"):
            print("SKIP: no lab network here")
            sys.exit(77)
        proc.kill()
        proc.wait()
        show = subprocess.run([osilab, "show", path], capture_output=True)
        assert show.returncode == 0, f"killed: osilab show exited {show.returncode}: {show.stderr}"
        steps = show.stdout.decode().count("\n── step ") + show.stdout.decode().startswith("── step ")
        assert steps == STEPS_BEFORE_STOP, f"killed: {steps} steps in the file"
        print(f"ok   killed: the file reads whole, {steps} steps")


def wait_removed(path, timeout=60):
    """Waits for `path` to be deleted (inotify on its parent), at most `timeout` seconds."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    assert fd >= 0, "inotify_init1 failed"
    try:
        IN_DELETE = 0x200
        assert libc.inotify_add_watch(fd, os.path.dirname(path).encode(), IN_DELETE) >= 0
        deadline = time.monotonic() + timeout
        while os.path.exists(path):  # checked after the watch is set: no deletion is missed
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return False
            os.read(fd, 4096)
        return True
    finally:
        os.close(fd)


def killed_leaves_no_folder(osilab, lessons, lesson):
    """A run with AF_UNIX sockets keeps their names in a folder of its own; killed with SIGKILL
    (the viewer's last resort), the folder still goes."""
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, TMPDIR=work)
        proc = subprocess.Popen([osilab, "run", lesson, "--lessons", lessons, "--step"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
        for line in proc.stdout:
            if line.startswith("── ".encode()):
                break  # the run is under way, waiting for `next`
        if proc.poll() is not None and proc.returncode == 5 and not os.environ.get("OSILAB_REQUIRE_LABNET"):
            print("SKIP: no lab network here")
            sys.exit(77)
        folders = [os.path.join(work, f) for f in os.listdir(work) if f.startswith("osilab-run-")]
        assert len(folders) == 1, f"killed: expected the run's folder in TMPDIR, found {folders}"
        proc.kill()
        proc.wait()
        assert wait_removed(folders[0]), f"killed: {folders[0]} was left behind"
        print(f"ok   killed: the run's folder went with it")


def main():
    osilab, lessons = sys.argv[1], sys.argv[2]
    drive(osilab, lessons, "tcp-server-client", "stop")
    drive(osilab, lessons, "tcp-server-client", "eof")
    killed_save(osilab, lessons, "tcp-server-client")
    killed_leaves_no_folder(osilab, lessons, "socket-params")


if __name__ == "__main__":
    main()
