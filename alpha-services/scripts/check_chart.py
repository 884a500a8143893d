"""Offline check of the Helm chart (alpha-services/deploy/helm/alpha), run by check-chart.sh.

No helm binary and no cluster: helm-python-sdk renders the chart with Helm's own template engine,
kubernetes-validate checks every object against the Kubernetes API schemas (strict: unknown fields
are errors), and the assertions below check what the chart promises (docs/deployment.md).

Value sets:
  default  the chart's values.yaml as shipped
  scale    replicas 3, HPA on, gRPC TLS on, NetworkPolicy on, secrets created by the chart,
           mail to the log, OTLP on, a connection budget
and a few sets that must be refused (the chart's own `fail` checks).

Exit 0 when everything holds; prints one line per check and a closing "N passed, N failed".
"""

from __future__ import annotations

import copy
import json
import os
import sys
import traceback

import helm_python as helm
import kubernetes_validate
import yaml

import process_table

KUBE_VERSION = os.environ.get("ALPHA_CHART_KUBE_VERSION", "1.30")
CHART_DIR = os.environ.get(
    "ALPHA_CHART_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "helm", "alpha"),
)
RELEASE, NAMESPACE = "alpha", "alpha"
# The processes: alpha-services/processes.tsv (check_processes.py checks values.yaml against it).
GRPC_SERVICES = [row["process"] for row in process_table.load() if row["kind"] == "service"]
PROCESSES = [row["process"] for row in process_table.processes(process_table.load())]
# Custom resources whose schemas kubernetes-validate does not ship (checked by hand below).
CUSTOM_KINDS = {"ServiceMonitor"}

SCALE_VALUES = {
    "autoscaling": {"enabled": True, "targetCPUUtilizationPercentage": 65},
    "services": {
        name: {"replicas": 3, "autoscaling": {"minReplicas": 3, "maxReplicas": 8}} for name in PROCESSES
    },
    "grpcTLS": {"enabled": True, "secretName": "alpha-grpc-tls", "requireClientCertificate": True},
    "networkPolicy": {
        "enabled": True,
        "gatewayFrom": [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
        ],
        "postgres": {"to": [{"ipBlock": {"cidr": "10.20.0.5/32"}}], "port": 5432},
    },
    "config": {
        "otlpEndpoint": "http://jaeger-collector.observability:4318",
        "notification": {"mailTransport": "log"},
        "postgres": {"poolSize": 10},
    },
    "connectionBudget": {"maxConnections": 400, "reserved": 10},
    "topologySpread": {"zones": True},
    "secrets": {
        "create": True,
        "values": {
            "jwtPrivateKey": "-----BEGIN PRIVATE KEY-----\nfake\n-----END PRIVATE KEY-----\n",
            "jwtPublicKey": "-----BEGIN PUBLIC KEY-----\nfake\n-----END PUBLIC KEY-----\n",
            "vapidPrivateKey": "fake-private",
            "vapidPublicKey": "fake-public",
            "serviceCredential": "0123456789abcdef0123456789abcdef",
            "databasePasswords": {
                schema: f"pw-{schema}"
                for schema in ["user_service", "post_service", "notification_service", "image_service"]
            },
        },
    },
    "serviceMonitor": {"enabled": True},
    "ingress": {"enabled": True, "className": "nginx"},
}


# ---------------------------------------------------------------------------------------------
# Rendering and parsing


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML loader that refuses a key twice in one mapping (Helm's install does too)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def merge(base, override):
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def render(values):
    chart = helm.Chart.load(CHART_DIR)
    files = chart.render(values, name=RELEASE, namespace=NAMESPACE)
    objects = []
    for path, text in sorted(files.items()):
        if path.endswith("NOTES.txt"):
            continue
        for doc in yaml.load_all(text, Loader=UniqueKeyLoader):
            if doc:
                objects.append(doc)
    return objects


def index(objects):
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


def of_kind(objects, kind):
    return [o for o in objects if o["kind"] == kind]


def component(name):
    return f"{RELEASE}-{name}"


def env_of(deployment):
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e for e in container.get("env", [])}


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


# ---------------------------------------------------------------------------------------------
# Checks

RESULTS = []


def check(name, fn, *args):
    try:
        fn(*args)
    except AssertionError as error:
        RESULTS.append(False)
        print(f"  FAIL  {name}: {error}")
        return
    except Exception as error:  # a crash is a failure with its reason
        RESULTS.append(False)
        print(f"  FAIL  {name}: {type(error).__name__}: {error}")
        traceback.print_exc(limit=2)
        return
    RESULTS.append(True)
    print(f"  ok    {name}")


def validate_all(objects):
    for obj in objects:
        if obj["kind"] in CUSTOM_KINDS:
            assert obj["apiVersion"].startswith("monitoring.coreos.com/"), obj["apiVersion"]
            assert obj["spec"]["endpoints"], "ServiceMonitor without endpoints"
            continue
        try:
            kubernetes_validate.validate(obj, KUBE_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            raise AssertionError(f"{obj['kind']}/{obj['metadata']['name']}: {error.message} at {list(error.path)}")


def check_deployments(objects, values):
    deployments = {d["metadata"]["name"]: d for d in of_kind(objects, "Deployment")}
    assert sorted(deployments) == sorted(component(p) for p in PROCESSES), sorted(deployments)
    grace = int(values["config"]["shutdownGraceSeconds"])
    for name, d in deployments.items():
        spec = d["spec"]
        rolling = spec["strategy"]["rollingUpdate"]
        assert spec["strategy"]["type"] == "RollingUpdate", name
        assert rolling["maxUnavailable"] == 0, f"{name}: maxUnavailable {rolling['maxUnavailable']}"
        assert rolling["maxSurge"] not in (0, "0%"), f"{name}: maxSurge 0 cannot roll"
        pod = spec["template"]
        annotations = pod["metadata"].get("annotations", {})
        for key in ("checksum/config", "checksum/secrets"):
            assert len(annotations.get(key, "")) == 64, f"{name}: no {key} annotation"
        assert selects(spec["selector"], pod["metadata"]["labels"]), f"{name}: selector misses its pods"
        pspec = pod["spec"]
        container = pspec["containers"][0]
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            assert container[probe]["httpGet"]["port"] == "admin", f"{name}: {probe} not on the admin port"
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        sleep = int(container["lifecycle"]["preStop"]["exec"]["command"][1])
        assert pspec["terminationGracePeriodSeconds"] > sleep + grace, (
            f"{name}: terminationGracePeriodSeconds {pspec['terminationGracePeriodSeconds']} "
            f"<= preStop {sleep} + SHUTDOWN_GRACE_SECONDS {grace}"
        )
        spread = pspec["topologySpreadConstraints"]
        assert any(c["topologyKey"] == "kubernetes.io/hostname" for c in spread), f"{name}: no spread over nodes"
        for c in spread:
            assert selects(c["labelSelector"], pod["metadata"]["labels"]), f"{name}: spread selects other pods"
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert "admin" in ports, name


def check_autoscalers(objects, values):
    deployments = {d["metadata"]["name"] for d in of_kind(objects, "Deployment")}
    hpas = of_kind(objects, "HorizontalPodAutoscaler")
    if not values["autoscaling"]["enabled"]:
        assert not hpas, "HPA rendered while autoscaling is off"
        return
    targets = {h["spec"]["scaleTargetRef"]["name"]: h for h in hpas}
    assert set(targets) == deployments, f"HPAs {sorted(targets)} vs Deployments {sorted(deployments)}"
    for name, h in targets.items():
        assert h["apiVersion"] == "autoscaling/v2" and h["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        process = name[len(RELEASE) + 1 :]
        limits = values["services"][process]["autoscaling"]
        assert h["spec"]["minReplicas"] == limits["minReplicas"], name
        assert h["spec"]["maxReplicas"] == limits["maxReplicas"], name
        metric = h["spec"]["metrics"][0]["resource"]
        assert metric["name"] == "cpu"
        assert metric["target"]["averageUtilization"] == values["autoscaling"]["targetCPUUtilizationPercentage"]
    for d in of_kind(objects, "Deployment"):
        assert "replicas" not in d["spec"], f"{d['metadata']['name']}: replicas set although the HPA owns it"
        requests = d["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
        assert "cpu" in requests, f"{d['metadata']['name']}: CPU utilisation needs a CPU request"


def check_services(objects, values):
    by_name = index(objects)
    config = next(o for o in of_kind(objects, "ConfigMap"))["data"]
    pods = {d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"] for d in of_kind(objects, "Deployment")}
    for process in GRPC_SERVICES:
        headless = by_name.get(("Service", f"{component(process)}-headless"))
        assert headless, f"no headless Service for {process}"
        assert headless["spec"]["clusterIP"] == "None", process
        assert not headless["spec"].get("publishNotReadyAddresses", False), f"{process}: not-ready pods in DNS"
        assert selects({"matchLabels": headless["spec"]["selector"]}, pods[component(process)])
        assert [p["name"] for p in headless["spec"]["ports"]] == ["grpc"], process
        port = values["services"][process]["grpcPort"]
        variable = process.split("-")[0].upper() + "_SERVICE_URL"
        expected = (
            f"dns:///{component(process)}-headless:{port}"
            if values["config"]["grpcClientTarget"] == "dns"
            else f"{component(process)}:{port}"
        )
        assert config[variable] == expected, f"{variable}={config[variable]!r}, expected {expected!r}"
    assert ("Service", f"{component('api-gateway')}-headless") not in by_name, "the gateway needs no headless Service"


def policy_for(objects, process):
    labels = next(
        d["spec"]["template"]["metadata"]["labels"]
        for d in of_kind(objects, "Deployment")
        if d["metadata"]["name"] == component(process)
    )
    matching = [p for p in of_kind(objects, "NetworkPolicy") if selects(p["spec"]["podSelector"], labels)]
    assert len(matching) == 1, f"{process}: {len(matching)} NetworkPolicies select its pods"
    return matching[0], labels


def check_network_policies(objects, values):
    policies = of_kind(objects, "NetworkPolicy")
    if not values["networkPolicy"]["enabled"]:
        assert not policies
        return
    labels = {
        d["metadata"]["name"][len(RELEASE) + 1 :]: d["spec"]["template"]["metadata"]["labels"]
        for d in of_kind(objects, "Deployment")
    }
    for process in PROCESSES:
        policy, _ = policy_for(objects, process)
        spec = policy["spec"]
        assert sorted(spec["policyTypes"]) == ["Egress", "Ingress"], process
        # Ingress on the traffic port.
        if process == "api-gateway":
            rule = next(r for r in spec["ingress"] if r["ports"][0]["port"] == "http")
            assert rule.get("from", []) == values["networkPolicy"]["gatewayFrom"]
        else:
            rule = next(r for r in spec["ingress"] if r["ports"][0]["port"] == "grpc")
            callers = {p for p, l in labels.items() if any(selects(f["podSelector"], l) for f in rule["from"])}
            expected = {"api-gateway"} | {
                p for p in PROCESSES if process in (values["services"][p].get("calls") or [])
            }
            assert callers == expected, f"{process}: reachable from {sorted(callers)}, expected {sorted(expected)}"
        assert all(r["ports"][0]["port"] in ("http", "grpc", "admin") for r in spec["ingress"]), process
        # Egress.
        egress = spec["egress"]
        ports = [(p["port"], p.get("protocol", "TCP")) for r in egress for p in r["ports"]]
        assert (53, "UDP") in ports and (53, "TCP") in ports, f"{process}: no DNS"
        has_schema = bool(values["services"][process].get("schema"))
        assert ((values["networkPolicy"]["postgres"]["port"], "TCP") in ports) == has_schema, f"{process}: PostgreSQL egress"
        https = values["networkPolicy"]["externalHttps"]["port"]
        outside = [r for r in egress if any(p["port"] == https for p in r["ports"])]
        if process == "notification-service":
            assert len(outside) == 1 and "ipBlock" in outside[0]["to"][0], "notification-service: no HTTPS out"
            assert "10.0.0.0/8" in outside[0]["to"][0]["ipBlock"]["except"], "HTTPS out may reach the cluster"
        else:
            assert not outside, f"{process} may reach the outside"
        for callee in values["services"][process].get("calls") or []:
            port = values["services"][callee]["grpcPort"]
            assert any(
                r["ports"][0]["port"] == port and selects(r["to"][0]["podSelector"], labels[callee]) for r in egress if r.get("to") and "podSelector" in r["to"][0] and "namespaceSelector" not in r["to"][0]
            ), f"{process}: no egress to {callee}"
        if values["config"]["otlpEndpoint"]:
            assert (values["networkPolicy"]["otlp"]["port"], "TCP") in ports, f"{process}: no OTLP egress"
        # Nothing open to any port: every egress rule names its ports.
        assert all(r.get("ports") for r in egress), f"{process}: an egress rule without ports"


def check_mail_and_tls(objects, values):
    """Mail fails closed (explicit MAIL_TRANSPORT, the key from its Secret); TLS files mounted."""
    deployments = {d["metadata"]["name"][len(RELEASE) + 1 :]: d for d in of_kind(objects, "Deployment")}
    notification = env_of(deployments["notification-service"])
    config = of_kind(objects, "ConfigMap")[0]["data"]
    assert config["ALPHA_ENV"] == values["config"]["environment"]
    transport = values["config"]["notification"]["mailTransport"]
    assert notification["MAIL_TRANSPORT"]["value"] == transport, "MAIL_TRANSPORT not explicit"
    if transport == "mailgun":
        key = notification["MAILGUN_API_KEY"]["valueFrom"]["secretKeyRef"]
        assert key["name"] == values["secrets"]["mailgun"]["name"] and key["key"] == values["secrets"]["mailgun"]["apiKey"]
    else:
        assert "MAILGUN_API_KEY" not in notification
    for process, d in deployments.items():
        env = env_of(d)
        pod = d["spec"]["template"]["spec"]
        mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
        if values["grpcTLS"]["enabled"]:
            assert env["GRPC_TLS_ENABLED"]["value"] == "true", process
            assert env["GRPC_TLS_CERT_FILE"]["value"].startswith(mounts["grpc-tls"]["mountPath"]), process
            assert mounts["grpc-tls"]["readOnly"] is True
            volume = next(v for v in pod["volumes"] if v["name"] == "grpc-tls")
            assert volume["secret"]["secretName"] == values["grpcTLS"]["secretName"]
        else:
            assert "GRPC_TLS_ENABLED" not in env and "grpc-tls" not in mounts, process


def annotation(objects, process, key):
    d = next(d for d in of_kind(objects, "Deployment") if d["metadata"]["name"] == component(process))
    return d["spec"]["template"]["metadata"]["annotations"][key]


def check_rolls(values):
    """A change of configuration or of a chart-made Secret changes every pod template."""
    before = render(values)
    changed_config = render(merge(values, {"config": {"logLevel": "debug"}}))
    changed_secret = render(
        merge(values, {"secrets": {"values": {"serviceCredential": "fedcba9876543210fedcba9876543210"}}})
    )
    rotated = render(merge(values, {"secrets": {"rolloutToken": "rotated-2026-12-02"}}))
    for process in PROCESSES:
        assert annotation(before, process, "checksum/config") != annotation(changed_config, process, "checksum/config")
        assert annotation(before, process, "checksum/secrets") != annotation(changed_secret, process, "checksum/secrets")
        assert annotation(before, process, "checksum/secrets") != annotation(rotated, process, "checksum/secrets")
        assert annotation(before, process, "checksum/secrets") == annotation(changed_config, process, "checksum/secrets")


def check_refused(values, fragment, expected_message):
    try:
        render(merge(values, fragment))
    except helm.HelmError as error:
        assert expected_message in str(error), f"refused, but with: {error}"
        return
    raise AssertionError(f"rendered although it must be refused: {json.dumps(fragment)}")


def check_lint(values):
    report = helm.lint(CHART_DIR, values, strict=True, kube_version=f"v{KUBE_VERSION}.0")
    # The optional dependencies (jaeger, kube-prometheus-stack) come from their chart repositories,
    # which are not reachable here; everything else must be clean.
    problems = [
        m for m in report["messages"]
        if m["severity"] >= 2 and "missing these dependencies" not in m["error"]
    ]
    assert not problems, problems


def main() -> int:
    defaults = helm.Chart.load(CHART_DIR).values
    scale = merge(defaults, SCALE_VALUES)
    for label, values in (("default values", defaults), ("scale values", scale)):
        print(f"chart {os.path.relpath(CHART_DIR)} with {label} (Kubernetes {KUBE_VERSION}):")
        try:
            objects = render(values)
        except Exception as error:
            RESULTS.append(False)
            print(f"  FAIL  render: {error}")
            continue
        kinds = sorted({o["kind"] for o in objects})
        print(f"        {len(objects)} objects: {', '.join(kinds)}")
        check("every object validates (strict schema)", validate_all, objects)
        check("Deployments: maxUnavailable 0, probes on admin, drain fits, spread, checksums", check_deployments, objects, values)
        check("one HPA per Deployment", check_autoscalers, objects, values)
        check("headless Services and the callers' dns:/// targets", check_services, objects, values)
        check("NetworkPolicies select the right pods and open only the right edges", check_network_policies, objects, values)
        check("mail transport and gRPC TLS settings", check_mail_and_tls, objects, values)
        check("helm lint --strict", check_lint, values)
    print("refusals and rolls:")
    check("config or Secret changes roll the pods", check_rolls, scale)
    check(
        "mailgun transport without a key Secret is refused",
        check_refused, defaults, {"secrets": {"mailgun": {"name": ""}}}, "needs secrets.mailgun.name",
    )
    check(
        "an unknown environment is refused",
        check_refused, defaults, {"config": {"environment": "staging"}}, "config.environment must be",
    )
    check(
        "an unknown mail transport is refused",
        check_refused, defaults, {"config": {"notification": {"mailTransport": "smtp"}}}, "mailTransport must be",
    )
    check(
        "a termination grace shorter than preStop + drain is refused",
        check_refused, defaults, {"terminationGracePeriodSeconds": 12}, "must exceed",
    )
    check(
        "a connection budget that max replicas x pool size exceed is refused",
        check_refused, scale, {"connectionBudget": {"maxConnections": 200}}, "connection budget exceeded",
    )
    passed, failed = RESULTS.count(True), RESULTS.count(False)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
