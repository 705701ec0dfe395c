#!/usr/bin/env python3
"""Ingest an archive folder on a Ray cluster into one vanban index.

The driver lists the files under the shared input folder, cuts the list into batches and
submits one Ray task per batch. A task runs, on whichever node Ray picks,

    vanban ingest INPUT --files-from BATCH_LIST --records-out RECORDS --jobs J

which writes one record file per input file into the shared RECORDS folder, atomically
(temporary file + rename) and under a name of its content, and skips a file whose record
is already there. So a task killed halfway (its node lost) is simply run again, by Ray
(``max_retries``) and, when Ray gives up, by the driver (``--resubmit``): the rerun skips
what was finished and the result has neither a duplicate nor a missing record.

When every batch is done the driver gathers the per-file failures into one JSON report
and runs ``vanban index build --records RECORDS --index INDEX`` (here, on the driver's
machine), which adds the records to the index as one ``vanban ingest`` would have.

Progress goes to stderr: batches and files done, pages done, pages/s, ETA, failures.

Every node needs the same paths: the input and records folders (a shared file system),
the vanban binary (--vanban) and its dictionaries (--dict, or VANBAN_DICT).

Exit status: 0 when every file was ingested; 3 when some files or batches failed (all in
the report); 1 when the run could not start or the index could not be built.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import ray

SUMMARY = re.compile(r"ingested (\d+) file\(s\) \((\d+) page\(s\)\), (\d+) skipped as unchanged, (\d+) failed")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Ingest an archive folder on a Ray cluster into one vanban index.")
    p.add_argument("--input", required=True, help="the archive folder (the same path on every node)")
    p.add_argument("--records", required=True, help="shared folder for the record files (the same path on every node)")
    p.add_argument("--index", required=True, help="the index to build or update at the end")
    p.add_argument("--vanban", default="vanban", help="the vanban binary on every node [default: vanban on PATH]")
    p.add_argument("--dict", default=os.environ.get("VANBAN_DICT"), help="the dictionaries folder on every node [default: VANBAN_DICT]")
    p.add_argument("--address", default=os.environ.get("RAY_ADDRESS", "auto"),
                   help="Ray cluster address [default: RAY_ADDRESS, else auto: the cluster started on this machine]")
    p.add_argument("--batch-files", type=int, default=16, help="files per task [default: 16]")
    p.add_argument("--jobs", type=int, default=1, help="OCR threads (and Ray CPUs) per task [default: 1]")
    p.add_argument("--max-retries", type=int, default=3, help="Ray's retries of a task whose worker or node died [default: 3]")
    p.add_argument("--resubmit", type=int, default=2, help="times the driver submits a batch again after Ray gave up on it [default: 2]")
    p.add_argument("--in-flight", type=int, default=0, help="tasks submitted ahead at most [default: 2 x the cluster's CPUs / --jobs]")
    p.add_argument("--report", default="ingest-report.json", help="where the failure report goes [default: ingest-report.json]")
    p.add_argument("--no-index", action="store_true", help="stop after the records (build the index later with `vanban index build`)")
    args = p.parse_args(argv)
    if args.batch_files < 1 or args.jobs < 1 or args.max_retries < 0 or args.resubmit < 0:
        p.error("--batch-files and --jobs must be at least 1, --max-retries and --resubmit at least 0")
    return args


def list_files(root, skip):
    """Every non-hidden file under root, relative, in name order (as `vanban ingest` walks)."""
    skip = {os.path.realpath(s) for s in skip}
    found, unlistable = [], []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=lambda e: unlistable.append(e)):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and os.path.realpath(os.path.join(dirpath, d)) not in skip)
        for name in sorted(filenames):
            if not name.startswith("."):
                found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return found, unlistable


def batches_of(files, size):
    return [files[i:i + size] for i in range(0, len(files), size)]


def run_batch(vanban, dict_dir, input_dir, records, jobs, number, files):
    """One task: `vanban ingest --files-from` on this batch. Per-file failures (exit 3) are
    results; anything else (vanban killed, not started, a fatal error) raises, so that Ray
    retries the task."""
    started = time.time()
    with tempfile.NamedTemporaryFile("wb", prefix=f"vanban-batch-{number:06d}-", suffix=".txt", delete=False) as listing:
        for rel in files:
            listing.write(os.fsencode(rel) + b"\n")
        list_path = listing.name
    try:
        cmd = [vanban, "ingest", input_dir, "--files-from", list_path, "--records-out", records, "--jobs", str(jobs)]
        env = dict(os.environ)
        if dict_dir:
            env["VANBAN_DICT"] = dict_dir
        done = subprocess.run(cmd, capture_output=True, env=env)
    finally:
        os.unlink(list_path)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode not in (0, 3):
        raise RuntimeError(f"batch {number}: vanban exited with {done.returncode}: {err.strip()[-2000:]}")
    m = SUMMARY.search(out)
    if not m:
        raise RuntimeError(f"batch {number}: no summary from vanban: {out.strip()[-500:]} {err.strip()[-500:]}")
    ingested, pages, unchanged, failed = (int(x) for x in m.groups())
    problems = []
    for line in err.splitlines():
        if not line.startswith("vanban: ") or line.startswith("vanban: error:"):
            continue
        rest = line[len("vanban: "):]
        path = next((os.path.join(input_dir, rel) for rel in files if rest.startswith(os.path.join(input_dir, rel) + ": ")), None)
        if path is not None:
            problems.append({"path": path, "reason": rest[len(path) + 2:]})
    return {"batch": number, "ingested": ingested, "pages": pages, "unchanged": unchanged, "failed": failed,
            "problems": problems, "seconds": time.time() - started, "node": ray.get_runtime_context().get_node_id()}


def duration(seconds):
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


class Progress:
    """One line on stderr every few seconds: what is done, how fast, how long to go."""

    def __init__(self, batches, files):
        self.batches, self.files = batches, files
        self.batches_done = self.files_done = self.pages = self.failures = self.retries = 0
        self.start = self.last = time.time()

    def done(self, batch_files, result):
        self.batches_done += 1
        self.files_done += batch_files
        if result:
            self.pages += result["pages"]
            self.failures += result["failed"]

    def show(self, force=False):
        now = time.time()
        if not force and now - self.last < 2:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = self.pages / elapsed
        eta = "?"
        if self.files_done:
            eta = duration(elapsed / self.files_done * (self.files - self.files_done))
        print(f"ray-ingest: batches {self.batches_done}/{self.batches}, files {self.files_done}/{self.files}, "
              f"pages {self.pages}, {rate:.2f} pages/s, ETA {eta}, failures {self.failures}, retries {self.retries}",
              file=sys.stderr, flush=True)


def main(argv=None):
    args = parse_args(argv)
    input_dir = os.path.abspath(args.input)
    records = os.path.abspath(args.records)
    index = os.path.abspath(args.index)
    if not os.path.isdir(input_dir):
        print(f"ray-ingest: {input_dir}: no such folder", file=sys.stderr)
        return 1
    os.makedirs(records, exist_ok=True)
    started = time.time()
    files, unlistable = list_files(input_dir, [records, index])
    batches = batches_of(files, args.batch_files)
    print(f"ray-ingest: {len(files)} file(s) in {len(batches)} batch(es) of up to {args.batch_files}", file=sys.stderr, flush=True)

    ray.init(address=args.address, log_to_driver=False)
    task = ray.remote(run_batch).options(num_cpus=args.jobs, max_retries=args.max_retries, retry_exceptions=True)
    in_flight_max = args.in_flight or max(2, int(2 * ray.cluster_resources().get("CPU", 1) / args.jobs))

    progress = Progress(len(batches), len(files))
    report = {"input": input_dir, "records": records, "index": index, "files": len(files), "batches": len(batches),
              "failed_files": [], "failed_batches": [], "unlistable": [str(e) for e in unlistable]}
    totals = {"ingested": 0, "pages": 0, "unchanged": 0, "failed": 0}
    attempts = {}
    todo = list(range(len(batches)))
    todo.reverse()  # pop() takes them in order
    running = {}
    while todo or running:
        while todo and len(running) < in_flight_max:
            number = todo.pop()
            attempts[number] = attempts.get(number, 0) + 1
            ref = task.remote(args.vanban, args.dict, input_dir, records, args.jobs, number, batches[number])
            running[ref] = number
        ready, _ = ray.wait(list(running), num_returns=1, timeout=2.0)
        for ref in ready:
            number = running.pop(ref)
            try:
                result = ray.get(ref)
            except Exception as err:  # the task failed after Ray's own retries
                if attempts[number] <= args.resubmit:
                    progress.retries += 1
                    print(f"ray-ingest: batch {number} failed ({type(err).__name__}); submitting it again",
                          file=sys.stderr, flush=True)
                    todo.append(number)
                    continue
                message = str(err).strip().splitlines()
                report["failed_batches"].append({"batch": number, "files": [os.path.join(input_dir, f) for f in batches[number]],
                                                 "attempts": attempts[number], "error": message[-1] if message else type(err).__name__})
                progress.done(len(batches[number]), None)
                continue
            for key in totals:
                totals[key] += result[key]
            report["failed_files"].extend(result["problems"])
            progress.done(len(batches[number]), result)
        progress.show()
    progress.show(force=True)
    elapsed = time.time() - started
    report.update(totals)
    report["seconds"] = round(elapsed, 3)
    report["pages_per_second"] = round(totals["pages"] / elapsed, 3) if elapsed > 0 else 0
    ray.shutdown()

    status = 0
    if not args.no_index:
        cmd = [args.vanban, "--index", index, "index", "build", "--records", records]
        if args.dict:
            cmd[1:1] = ["--dict", args.dict]
        print(f"ray-ingest: building the index: {' '.join(cmd)}", file=sys.stderr, flush=True)
        built = subprocess.run(cmd, capture_output=True, text=True)
        sys.stderr.write(built.stderr)
        print(built.stdout.strip(), file=sys.stderr, flush=True)
        report["index_build"] = {"status": built.returncode, "summary": built.stdout.strip()}
        if built.returncode not in (0, 3):
            status = 1
    with open(args.report + ".tmp", "w", encoding="utf-8") as out:
        json.dump(report, out, ensure_ascii=False, indent=2)
    os.replace(args.report + ".tmp", args.report)
    failed = totals["failed"] + sum(len(b["files"]) for b in report["failed_batches"]) + len(unlistable)
    print(f"ray-ingest: {totals['ingested']} file(s) ingested ({totals['pages']} pages), {totals['unchanged']} unchanged, "
          f"{failed} failed, in {elapsed:.1f} s ({report['pages_per_second']} pages/s); report: {args.report}",
          file=sys.stderr, flush=True)
    if status == 0 and (failed or report.get("index_build", {}).get("status") == 3):
        status = 3
    return status


if __name__ == "__main__":
    sys.exit(main())
