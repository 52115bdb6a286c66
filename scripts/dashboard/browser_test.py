#!/usr/bin/env python3
"""Drives the DISCO dashboard in headless Chromium over the Chrome DevTools Protocol (standard library only).

Usage: browser_test.py --url http://127.0.0.1:PORT [--simulator-control URL] [--chromium PATH] [--out DIR] [--timeout SECONDS]

Against a running disco-sm with the simulated cloud (user/password/project demo): signs in, creates a cluster with
Zeppelin (checks Spark and Hadoop get ticked), checks a server validation problem is shown next to its field,
follows the cluster to ready, downloads its SSH key, scales, suspends and resumes it, checks its health (with --simulator-control also: a stopped
worker daemon turns it yellow on its page and in the list, started again green), deletes it, signs out, and checks
that an invalid token leads back to the sign-in page. Screenshots of each page go to --out. Exits 1 on the first failed step, on any
browser console error or uncaught exception, or on any request to a host other than the server's; prints
"dashboard browser test: N passed, 0 failed" on success.
"""

import argparse
import base64
import json
import os
import queue
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


class StepFailed(Exception):
    pass


# ---- A minimal WebSocket client (RFC 6455, text frames, client masking) ------------------------------------

class WebSocket:
    def __init__(self, url, timeout=10):
        parsed = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        request = (f"GET {path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(f"websocket handshake failed: {head[:200]!r}")
        self.sock.settimeout(None)
        self.send_lock = threading.Lock()

    def send(self, text):
        payload = text.encode()
        header = bytearray([0x81])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self.send_lock:
            self.sock.sendall(bytes(header) + mask + masked)

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self):
        """The next complete text message, or None when the connection closes."""
        message = b""
        while True:
            b1, b2 = self._read(2)
            fin, opcode = b1 & 0x80, b1 & 0x0F
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            if b2 & 0x80:
                mask = self._read(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(n)))
            else:
                payload = self._read(n)
            if opcode == 0x8:
                return None
            if opcode == 0x9:  # ping
                continue
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if fin:
                    return message.decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---- CDP over that socket -----------------------------------------------------------------------------------

class CDP:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.pending = {}
        self.lock = threading.Lock()
        self.events = queue.Queue()
        self.listeners = []
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    def _read_loop(self):
        try:
            while True:
                text = self.ws.receive()
                if text is None:
                    break
                message = json.loads(text)
                if "id" in message:
                    with self.lock:
                        slot = self.pending.pop(message["id"], None)
                    if slot:
                        slot.put(message)
                else:
                    for listener in list(self.listeners):
                        listener(message)
        except (OSError, ConnectionError, ValueError):
            pass
        with self.lock:
            for slot in self.pending.values():
                slot.put({"error": {"message": "connection closed"}})
            self.pending.clear()

    def call(self, method, params=None, session=None, timeout=15):
        with self.lock:
            self.next_id += 1
            message_id = self.next_id
            slot = queue.Queue()
            self.pending[message_id] = slot
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        try:
            answer = slot.get(timeout=timeout)
        except queue.Empty:
            raise StepFailed(f"CDP {method} did not answer within {timeout} s")
        if "error" in answer:
            raise StepFailed(f"CDP {method} failed: {answer['error'].get('message')}")
        return answer.get("result", {})


# ---- The browser and the page --------------------------------------------------------------------------------

def find_chromium(explicit):
    for candidate in [explicit, os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]:
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


class Browser:
    def __init__(self, chromium, base_url, download_dir, profile_dir, timeout):
        self.base_url = base_url.rstrip("/")
        self.allowed_host = urllib.parse.urlparse(self.base_url).hostname
        self.timeout = timeout
        self.download_dir = download_dir
        args = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile_dir}",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
                "--disable-domain-reliability", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
                "--password-store=basic", "--use-mock-keychain", "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--window-size=1440,900", "about:blank"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port_file = os.path.join(profile_dir, "DevToolsActivePort")
        deadline = time.time() + 20
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if self.process.poll() is not None:
                raise StepFailed(f"chromium exited: {self.process.stderr.read()[-2000:]}")
            if time.time() > deadline:
                raise StepFailed("chromium did not open its DevTools port within 20 s")
            time.sleep(0.05)
        port, path = open(port_file).read().split("\n")[:2]
        self.cdp = CDP(f"ws://127.0.0.1:{port}{path}")

        self.console_errors = []
        self.foreign_requests = []
        self.requests = []
        self.expected_errors = []  # substrings of URLs whose failed requests are expected in the current step
        self.downloads = {}
        self.cdp.listeners.append(self._on_event)

        target = self.cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.cdp.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir, "eventsEnabled": True})
        self.set_viewport(1440, 900)
        self.session_ready = True

    def call(self, method, params=None, timeout=15):
        return self.cdp.call(method, params, session=self.session, timeout=timeout)

    def _on_event(self, message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console_errors.append(f"console.{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception", {})
            self.console_errors.append(f"uncaught exception: {exception.get('description') or details.get('text')}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                url = entry.get("url", "")
                if entry.get("source") == "network" and any(e in url for e in self.expected_errors):
                    return
                self.console_errors.append(f"log ({entry.get('source')}): {entry.get('text')} {url}".strip())
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            self.requests.append(url)
            scheme = urllib.parse.urlparse(url).scheme
            if scheme in ("data", "blob", "about"):
                return
            if urllib.parse.urlparse(url).hostname != self.allowed_host:
                self.foreign_requests.append(url)
        elif method == "Browser.downloadProgress":
            self.downloads[params.get("guid")] = params
        elif method == "Browser.downloadWillBegin":
            self.downloads.setdefault(params.get("guid"), {}).update({"suggestedFilename": params.get("suggestedFilename")})

    def set_viewport(self, width, height, mobile=False):
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        if hasattr(self, "session_ready"):
            self.settle()

    def set_color_scheme(self, scheme):
        self.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        self.settle()

    def settle(self):
        """Waits for two frames and the stylesheet's short colour transitions after a resize or a colour-scheme change."""
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250))))", await_promise=True)

    def evaluate(self, expression, await_promise=False):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            raise StepFailed(f"evaluating {expression[:80]!r}: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what, timeout=None):
        """Polls a JavaScript expression until it is truthy; returns its value."""
        deadline = time.time() + (timeout or self.timeout)
        last = None
        while time.time() < deadline:
            try:
                value = self.evaluate(expression)
                # JavaScript truthiness: an element comes back as {} (truthy there, falsy in Python).
                if value is not None and value is not False and value != 0 and value != "":
                    return value
                last = value
            except StepFailed as error:
                last = str(error)
            time.sleep(0.05)
        raise StepFailed(f"timed out after {timeout or self.timeout} s waiting for {what} (last: {last!r})")

    def navigate(self, path):
        self.call("Page.navigate", {"url": self.base_url + path})

    def rect(self, selector):
        rect = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return null;
            el.scrollIntoView({{block: 'center', inline: 'center'}});
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') return null;
            return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
        }})()""")
        return rect

    def click(self, selector):
        """A real mouse click at the element's centre (it must be visible and not covered)."""
        deadline = time.time() + self.timeout
        while True:
            point = self.rect(selector)
            if point:
                hit = self.evaluate(f"""(() => {{
                    const el = document.querySelector({json.dumps(selector)});
                    const at = document.elementFromPoint({point['x']}, {point['y']});
                    return !!at && (el === at || el.contains(at) || (el.labels && [...el.labels].some(l => l.contains(at))) || at.contains(el));
                }})()""")
                if hit:
                    break
            if time.time() > deadline:
                raise StepFailed(f"{selector} is not visible and clickable")
            time.sleep(0.05)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": point["x"], "y": point["y"], "button": "left", "clickCount": 1})

    def type(self, selector, text, clear=True):
        """Focuses a field, selects what is in it, and types `text` as keyboard input."""
        self.wait_for(f"document.querySelector({json.dumps(selector)})", selector)
        self.evaluate(f"(() => {{ const el = document.querySelector({json.dumps(selector)}); el.focus(); if ({'true' if clear else 'false'}) el.select(); }})()")
        if clear:
            self.key("Backspace", 8)
        self.call("Input.insertText", {"text": text})

    def choose(self, selector, value):
        """Picks an option of a <select> as a user does: focus, new value, then the input and change events."""
        self.wait_for(f"document.querySelector({json.dumps(selector)} + ' option[value=\"' + {json.dumps(value)} + '\"]')", f"option {value} of {selector}")
        self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            el.focus(); el.value = {json.dumps(value)};
            el.dispatchEvent(new Event('input', {{bubbles: true}})); el.dispatchEvent(new Event('change', {{bubbles: true}}));
        }})()""")

    def key(self, key, code):
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code})

    def screenshot(self, out_dir, name, full_page=True):
        params = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self.evaluate("({w: document.documentElement.clientWidth, h: Math.max(document.documentElement.scrollHeight, innerHeight)})")
            params["clip"] = {"x": 0, "y": 0, "width": size["w"], "height": min(size["h"], 6000), "scale": 1}
        data = self.call("Page.captureScreenshot", params, timeout=30)["data"]
        path = os.path.join(out_dir, f"{name}.png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def close(self):
        try:
            self.cdp.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.cdp.ws.close()


# ---- The scenario ----------------------------------------------------------------------------------------------

def js(value):
    return json.dumps(value)


def api_get(base_url, path, token):
    request = urllib.request.Request(base_url + path, headers={"X-Auth-Token": token, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def simulator_fault(control_url, fault):
    """Injects a fault into the simulated cloud (POST /_simulator/faults)."""
    request = urllib.request.Request(control_url.rstrip("/") + "/_simulator/faults", data=json.dumps(fault).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 204:
                raise StepFailed(f"the simulator refused {fault}: HTTP {response.status}")
    except urllib.error.HTTPError as error:
        raise StepFailed(f"the simulator refused {fault}: {error.code} {error.read().decode()[:300]}")


def run(args):
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith(".png"):
            os.remove(os.path.join(out, old))
    work = tempfile.mkdtemp(prefix="disco-dashboard-")
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    chromium = find_chromium(args.chromium)
    if not chromium:
        print("chromium not found", file=sys.stderr)
        return 2
    browser = None
    passed = 0
    started = time.time()
    name = f"dash-{random.randint(1000, 9999)}"
    shots = []

    def step(title):
        nonlocal passed
        passed += 1
        if browser and browser.console_errors:
            raise StepFailed("browser console errors:\n  " + "\n  ".join(browser.console_errors))
        print(f"  ok {passed:2d} {title} ({time.time() - started:.1f} s)", flush=True)

    def shot(label, **kwargs):
        shots.append(browser.screenshot(out, label, **kwargs))

    try:
        browser = Browser(chromium, args.url, downloads, os.path.join(work, "profile"), args.timeout)
        b = browser

        # 1. Sign-in page, then a wrong password, then demo/demo.
        b.navigate("/dashboard/")
        b.wait_for("location.hash === '#/signin' && document.querySelector('#signin-username')", "the sign-in form")
        b.wait_for("document.querySelector('.server-status-ok')", "the server status line")
        shot("01-signin")
        step("sign-in page shown, server online")

        b.expected_errors = ["/api/v1/tokens"]
        b.type("#signin-username", "demo")
        b.type("#signin-password", "wrong-password")
        b.click("#signin-submit")
        b.wait_for("document.querySelector('.form-alert-bad')?.textContent.includes('wrong')", "the wrong-password message")
        b.expected_errors = []
        step("a wrong password is refused with a message")

        b.type("#signin-password", "demo")
        b.type("#signin-project", "demo")
        b.click("#signin-submit")
        b.wait_for("location.hash === '#/clusters' && document.querySelector('#clusters-content .state-panel, #clusters-table')", "the clusters page")
        session = b.evaluate("JSON.parse(sessionStorage.getItem('disco.session'))")
        if not session or not session.get("token") or session.get("user") != "demo":
            raise StepFailed(f"no session in sessionStorage: {session!r}")
        has_empty = b.evaluate("!!document.querySelector('#clusters-content .state-panel')")
        shot("02-clusters-empty" if has_empty else "02-clusters")
        step("signed in as demo; token kept in sessionStorage; clusters listed")

        # 2. Create a cluster with Zeppelin.
        b.click("#new-cluster")
        b.wait_for("location.hash === '#/create' && document.querySelector('#c-zeppelin') && document.querySelector('#f-master-image option')", "the create form")
        base = b.evaluate("({checked: document.querySelector('#c-base').checked, disabled: document.querySelector('#c-base').disabled, note: document.querySelector('#c-base-note').textContent})")
        if not (base["checked"] and base["disabled"] and "always" in base["note"].lower()):
            raise StepFailed(f"base is not shown as always installed: {base}")
        b.wait_for("document.querySelector('#plan').dataset.state === 'ready'", "the first plan")
        step("create form loaded: images, flavors, networks from the cloud; base always installed")

        b.type("#f-name", name)
        b.click("#c-zeppelin")
        state = b.wait_for("""(() => {
            const q = (s) => document.querySelector(s);
            const spark = q('#c-spark'), hadoop = q('#c-hadoop');
            if (!(q('#c-zeppelin').checked && spark.checked && hadoop.checked)) return null;
            return {spark: q('#c-spark-note').textContent, hadoop: q('#c-hadoop-note').textContent, sparkDisabled: spark.disabled};
        })()""", "Spark and Hadoop ticked by Zeppelin", timeout=5)
        if "required by zeppelin" not in state["spark"].lower() or "required by spark" not in state["hadoop"].lower():
            raise StepFailed(f"the reasons are not shown: {state}")
        step(f"Zeppelin ticked Spark ({state['spark']!r}) and Hadoop ({state['hadoop']!r})")

        # A problem only the server knows about (the worker limit) is shown next to the workers field.
        b.expected_errors = ["/api/v1/plan"]
        b.type("#f-workers", "5000")
        text = b.wait_for("document.querySelector('#f-workers-error')?.innerText", "the server's problem next to the workers field")
        if "5000" not in text:
            raise StepFailed(f"unexpected workers error: {text!r}")
        invalid = b.evaluate("document.querySelector('#f-workers').getAttribute('aria-invalid')")
        if invalid != "true":
            raise StepFailed("the workers field is not marked aria-invalid")
        shot("03-create-field-error", full_page=False)
        b.type("#f-workers", "2")
        b.wait_for("!document.querySelector('#f-workers-error')", "the workers error to clear")
        step(f"server validation problem shown next to its field ({text.strip()!r}), cleared when fixed")

        # Hadoop + Spark + Zeppelin do not fit a 4 GB master: the memory budget says so next to the flavor.
        memory = b.wait_for("document.querySelector('#f-master-flavor-error')?.innerText", "the memory budget next to the master flavor")
        if not ("m1.medium has 4096 MB of RAM" in memory and "zeppelin server" in memory and "Accepted:" in memory):
            raise StepFailed(f"unexpected master flavor error: {memory!r}")
        b.choose("#f-master-flavor", "m1.large")
        b.wait_for("!document.querySelector('#f-master-flavor-error') && document.querySelector('#plan').dataset.state === 'ready'", "the memory error to clear and a new plan")
        b.expected_errors = []
        step(f"memory budget shown next to the master flavor ({memory.strip()[:60]!r}…), cleared by m1.large")

        totals = b.wait_for("""(() => {
            const names = [...document.querySelectorAll('#plan-components li')].map(li => li.dataset.component);
            if (!names.includes('zeppelin')) return null;
            const get = (k) => document.querySelector(`#plan-totals [data-total="${k}"] dd`)?.textContent;
            return {names, instances: get('instances'), vcpus: get('vcpus'), ram: get('ram')};
        })()""", "the plan with zeppelin")
        if totals["instances"] != "3" or sorted(totals["names"]) != ["base", "hadoop", "spark", "zeppelin"]:
            raise StepFailed(f"unexpected plan: {totals}")
        shot("04-create")
        b.set_viewport(375, 812, mobile=True)
        shot("04-create-375px")
        overflow = b.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        b.set_viewport(1440, 900)
        if overflow > 0:
            raise StepFailed(f"the create page scrolls sideways at 375px ({overflow}px)")
        step(f"plan shown before submitting: {totals['instances']} instances, {totals['vcpus']} vCPUs, {totals['ram']} RAM")

        b.click("#create-submit")
        cluster_id = b.wait_for("(/^#\\/clusters\\/([^/]+)$/.exec(location.hash) || [])[1]", "the cluster page")
        b.wait_for("document.querySelector('#component-progress li')", "the component progress")
        b.evaluate("window.__noReload = true")
        if b.evaluate("document.querySelector('#progress-text').getAttribute('aria-live')") != "polite":
            raise StepFailed("the progress text is not an aria-live region")
        shot("05-cluster-progress")
        step(f"cluster {name} created ({cluster_id}); cluster page follows it")

        seen = set()
        deadline = time.time() + args.ready_timeout
        while True:
            state = b.evaluate("document.querySelector('main').dataset.clusterState")
            seen.add(state)
            if state == "ready":
                break
            if state == "failed":
                raise StepFailed("the cluster failed")
            if time.time() > deadline:
                raise StepFailed(f"the cluster did not get ready within {args.ready_timeout} s (states seen: {sorted(seen)})")
            time.sleep(0.05)
        done = b.wait_for("""(() => {
            const rows = [...document.querySelectorAll('#component-progress li')];
            return rows.length >= 4 && rows.every(r => r.dataset.state === 'ready') && document.querySelector('#cluster-progress').value === 100
              && document.querySelectorAll('#events li').length >= 3 && document.querySelector('#progress-text').textContent;
        })()""", "all components ready, 100 %, and the events")
        if b.evaluate("location.hash") != f"#/clusters/{cluster_id}" or not b.evaluate("window.__noReload === true"):
            raise StepFailed("the page changed or reloaded while following the cluster")
        shot("06-cluster-ready")
        step(f"cluster reached ready without a reload (states seen: {', '.join(sorted(s for s in seen if s))}; {done!r})")

        # 3. The SSH key.
        b.click("#download-key")
        path = os.path.join(downloads, f"{name}.id_ed25519")
        deadline = time.time() + args.timeout
        while not (os.path.exists(path) and any(d.get("state") == "completed" for d in b.downloads.values())):
            if time.time() > deadline:
                raise StepFailed(f"no download {path} (downloads: {os.listdir(downloads)}, events: {list(b.downloads.values())})")
            time.sleep(0.05)
        with open(path) as f:
            key = f.read()
        if not key.startswith("-----BEGIN OPENSSH PRIVATE KEY-----"):
            raise StepFailed(f"the downloaded key does not look like one: {key[:60]!r}")
        step(f"SSH key downloaded as {os.path.basename(path)} ({len(key)} bytes, OpenSSH private key)")

        # Scale, suspend and resume from the same page.
        def wait_state(expected, what):
            return b.wait_for(f"document.querySelector('main').dataset.clusterState === {js(expected)}", what, timeout=args.ready_timeout)

        b.type("#scale-workers", "3")
        b.click("#scale-submit")
        wait_state("ready", "the cluster to scale")
        b.wait_for("document.querySelector('main').dataset.clusterState === 'ready' && /Now 3 workers/.test(document.querySelector('#scale-hint').textContent)", "3 workers", timeout=args.ready_timeout)
        b.click("#suspend-resume")
        wait_state("suspended", "the cluster to be suspended")
        b.wait_for("document.querySelector('#suspend-resume').textContent.includes('Resume') && !document.querySelector('#suspend-resume').disabled", "the resume button")
        shot("06b-cluster-suspended", full_page=False)
        b.click("#suspend-resume")
        wait_state("ready", "the cluster to be resumed")
        step("scaled to 3 workers, suspended (grey) and resumed from the cluster page")

        # Health: Check now reads it; a worker's daemon stopped in the simulated cloud turns it yellow on the page and
        # in the list, with the reason in the badge's text and tooltip; started again, green.
        def check_now(status):
            b.click("#health-check")
            return b.wait_for(f"""(() => {{
                const panel = document.querySelector('#health-panel');
                if (panel.dataset.health !== {js(status)} || document.querySelector('#health-check').disabled) return null;
                return {{badge: panel.querySelector('#health-status .badge-text')?.textContent,
                         reasons: [...panel.querySelectorAll('#health-reasons li')].map(li => li.textContent),
                         nodes: [...panel.querySelectorAll('#health-nodes tbody tr')].map(tr => tr.dataset.node)}};
            }})()""", f"the health panel to show {status} after Check now")

        green = check_now("green")
        if green["badge"] != "Green" or green["reasons"] or green["nodes"] != ["master", "worker0", "worker1", "worker2"]:
            raise StepFailed(f"unexpected green health panel: {green}")
        step(f"Check now: health Green, nodes {', '.join(green['nodes'])}")

        if args.simulator_control:
            token = b.evaluate("JSON.parse(sessionStorage.getItem('disco.session')).token")
            stack = api_get(b.base_url, f"/api/v1/clusters/{cluster_id}", token)["stackName"]
            simulator_fault(args.simulator_control, {"fault": "daemon-stopped", "stack": stack, "node": "worker1", "unit": "hadoop-datanode"})
            yellow = check_now("yellow")
            daemon = b.evaluate("""(() => {
                const li = document.querySelector('#health-nodes tr[data-node="worker1"] li[data-unit="hadoop-datanode"]');
                const worker = document.querySelector('#health-nodes tr[data-node="worker1"]');
                return li && {state: li.dataset.state, text: li.textContent, node: worker.dataset.health,
                              badge: worker.querySelector('.badge-text').textContent, color: getComputedStyle(li).color};
            })()""")
            if yellow["badge"] != "Yellow" or not any("hadoop-datanode" in r and "worker1" in r for r in yellow["reasons"]):
                raise StepFailed(f"unexpected yellow health panel: {yellow}")
            if not daemon or daemon["state"] != "failed" or daemon["text"] != "hadoop-datanode (failed)" or daemon["badge"] != "Yellow":
                raise StepFailed(f"unexpected daemon row of worker1: {daemon}")
            shot("06c-cluster-health-yellow")
            step(f"worker1's hadoop-datanode stopped: panel Yellow, reason {yellow['reasons'][0]!r}, daemon row {daemon['text']!r}")

            b.click("a.back-link")
            badge = b.wait_for(f"""(() => {{
                const badge = document.querySelector('tr[data-cluster-id={js(cluster_id)}] .health-badge');
                return badge && badge.dataset.health === 'yellow' && {{text: badge.querySelector('.badge-text').textContent,
                    title: badge.title, spoken: badge.textContent, color: getComputedStyle(badge).color}};
            }})()""", "the yellow health badge in the list", timeout=args.ready_timeout)
            if badge["text"] != "Yellow" or "hadoop-datanode" not in badge["title"] or "hadoop-datanode" not in badge["spoken"]:
                raise StepFailed(f"unexpected health badge: {badge}")
            shot("06d-clusters-health-yellow", full_page=False)
            step(f"list: health badge {badge['text']!r} ({badge['color']}), reason in its tooltip and text")

            b.click(f"tr[data-cluster-id={js(cluster_id)}] a.cluster-name")
            b.wait_for("document.querySelector('main').dataset.clusterState === 'ready' && document.querySelector('#health-panel')?.dataset.health === 'yellow'", "the cluster page again")
            simulator_fault(args.simulator_control, {"fault": "daemon-started", "stack": stack, "node": "worker1", "unit": "hadoop-datanode"})
            check_now("green")
            step("hadoop-datanode started again: Check now shows Green")

        # Dark mode and the small screen of the same page.
        b.set_color_scheme("dark")
        shot("07-cluster-ready-dark")
        b.set_viewport(375, 812, mobile=True)
        shot("07-cluster-ready-375px-dark")
        b.set_color_scheme("light")
        shot("07-cluster-ready-375px")
        overflow = b.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        b.set_viewport(1440, 900)
        if overflow > 0:
            raise StepFailed(f"the cluster page scrolls sideways at 375px ({overflow}px)")
        step("cluster page readable at 375px and in dark mode")

        # 4. The list shows it with a green status and its UI links.
        b.click("a.back-link")
        row = b.wait_for(f"""(() => {{
            const tr = document.querySelector('tr[data-cluster-id={js(cluster_id)}]');
            if (!tr) return null;
            const badge = tr.querySelector('.badge');
            return {{state: tr.dataset.state, badge: badge.className, color: getComputedStyle(badge).color,
                     links: tr.querySelectorAll('.ui-links a').length, chips: [...tr.querySelectorAll('.chip')].map(c => c.textContent)}};
        }})()""", "the cluster in the list")
        if row["state"] != "ready" or "badge-ok" not in row["badge"] or row["links"] < 1 or "zeppelin" not in row["chips"]:
            raise StepFailed(f"unexpected list row: {row}")
        shot("08-clusters")
        b.set_viewport(375, 812, mobile=True)
        shot("08-clusters-375px")
        overflow = b.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        b.set_viewport(1440, 900)
        if overflow > 0:
            raise StepFailed(f"the clusters page scrolls sideways at 375px ({overflow}px)")
        step(f"clusters list shows {name}: ready (green {row['color']}), {row['links']} UI links, components {row['chips']}")

        # 5. Delete with the confirmation dialog.
        b.click(f"tr[data-cluster-id={js(cluster_id)}] a.cluster-name")
        b.wait_for("document.querySelector('main').dataset.clusterState === 'ready' && !document.querySelector('#delete-cluster').disabled", "the cluster page again")
        b.click("#delete-cluster")
        b.wait_for("document.querySelector('#delete-dialog')?.open && document.activeElement?.id === 'delete-confirm-name'", "the delete dialog with focus in its field")
        if not b.evaluate("document.querySelector('#delete-confirm').disabled"):
            raise StepFailed("delete is possible before typing the name")
        b.type("#delete-confirm-name", name[:-1])
        if not b.evaluate("document.querySelector('#delete-confirm').disabled"):
            raise StepFailed("delete is possible with a wrong name")
        b.type("#delete-confirm-name", name)
        b.wait_for("!document.querySelector('#delete-confirm').disabled", "the delete button to enable")
        shot("09-delete-dialog", full_page=False)
        b.click("#delete-confirm")
        b.wait_for(f"location.hash === '#/clusters' && !document.querySelector('#delete-dialog')", "the clusters page after deleting")
        b.wait_for(f"""(() => {{
            const tr = document.querySelector('tr[data-cluster-id={js(cluster_id)}]');
            return !tr ? 'gone' : (['deleting', 'deleted'].includes(tr.dataset.state) ? tr.dataset.state : null);
        }})()""", "the cluster to be deleting or gone")
        b.wait_for(f"!document.querySelector('tr[data-cluster-id={js(cluster_id)}]')", "the cluster to disappear from the list", timeout=args.ready_timeout)
        shot("10-after-delete")
        step("cluster deleted after typing its name in the confirmation dialog")

        # 6. Sign out; a stale token leads back to the sign-in page.
        b.click("#signout")
        b.wait_for("location.hash === '#/signin' && !sessionStorage.getItem('disco.session') && document.querySelector('.form-alert')", "the sign-in page after signing out")
        step("signed out: token removed, back at sign-in")

        # Sign in with a token instead of a password (one issued through the API, as disco-cli token would).
        issued = urllib.request.urlopen(urllib.request.Request(
            f"{b.base_url}/api/v1/tokens", data=json.dumps({"username": "demo", "password": "demo", "project": "demo"}).encode(),
            headers={"Content-Type": "application/json"}, method="POST"), timeout=10)
        token = json.load(issued)["token"]
        b.click("label[for=mode-token]")
        b.wait_for("!document.querySelector('#signin-token-form').hidden", "the token form")
        b.type("#signin-token", token)
        b.click("#signin-token-submit")
        b.wait_for("location.hash === '#/clusters' && document.querySelector('#clusters-content .state-panel, #clusters-table')", "the clusters page after a token sign-in")
        if b.evaluate("JSON.parse(sessionStorage.getItem('disco.session')).token") != token:
            raise StepFailed("the token is not the session's")
        b.click("#signout")
        b.wait_for("location.hash === '#/signin' && !sessionStorage.getItem('disco.session')", "the sign-in page")
        step("signed in with a Keystone token, and out again")

        b.expected_errors = ["/api/v1/clusters"]
        b.evaluate("sessionStorage.setItem('disco.session', JSON.stringify({token: 'expired-token', user: 'demo', project: 'demo'})); location.hash = '#/clusters'")
        b.wait_for("location.hash === '#/signin' && document.querySelector('.form-alert-warn')?.textContent.includes('sign in again')", "the sign-in page after a 401")
        b.expected_errors = []
        shot("11-session-expired")
        step("an expired token leads back to sign-in with a message")

        if b.foreign_requests:
            raise StepFailed("requests left the machine:\n  " + "\n  ".join(b.foreign_requests))
        if b.console_errors:
            raise StepFailed("browser console errors:\n  " + "\n  ".join(b.console_errors))
        hosts = sorted({urllib.parse.urlparse(u).netloc for u in b.requests if urllib.parse.urlparse(u).scheme.startswith("http")})
        passed += 1
        print(f"  ok {passed:2d} all {len(b.requests)} requests went to {', '.join(hosts)}; no console errors", flush=True)
        print(f"screenshots: {out}")
        for path in shots:
            print(f"  {path}")
        print(f"dashboard browser test: {passed} passed, 0 failed ({time.time() - started:.1f} s)")
        return 0
    except StepFailed as error:
        print(f"FAILED after {passed} steps ({time.time() - started:.1f} s): {error}", file=sys.stderr)
        if browser:
            try:
                print(f"  page: {browser.evaluate('location.href')}", file=sys.stderr)
                print(f"  screenshot: {browser.screenshot(out, 'failure')}", file=sys.stderr)
            except Exception:
                pass
            if browser.console_errors:
                print("  console errors:\n    " + "\n    ".join(browser.console_errors), file=sys.stderr)
        print(f"dashboard browser test: {passed} passed, 1 failed")
        return 1
    finally:
        if browser:
            browser.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    # A SIGTERM (the Swift test's watchdog) still closes Chromium through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the disco-sm base URL, e.g. http://127.0.0.1:8888")
    parser.add_argument("--chromium", help="the chromium binary (default: chromium on PATH, or $CHROMIUM)")
    parser.add_argument("--out", default=".build/dashboard-screenshots", help="where screenshots go")
    parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for each step")
    parser.add_argument("--ready-timeout", type=float, default=40, help="seconds to wait for the cluster to get ready")
    parser.add_argument("--simulator-control", help="the simulated cloud's control URL (POST /_simulator/faults), for the health steps")
    args = parser.parse_args()
    sys.exit(run(args))


if __name__ == "__main__":
    main()
