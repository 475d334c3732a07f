"""Generate docs/results.md from experiments/results/*.json (never edit results.md by hand).

    python experiments/make_results.py

Every number in docs/results.md comes from a JSON file written by one of the experiment scripts;
each table names the command that regenerates it. Missing runs show as "not run".
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
from common import DATA, RESULTS, ROOT, load_group, videos

from highlit import evaluate as ev
from highlit.atomic import atomic_write_text
from highlit.metrics import paired_bootstrap
from highlit.sampler import windows_per_video

OUT = ROOT / "docs" / "results.md"
DATASETS = ("tvsum", "youtube")
PAPER_TABLES = {  # the paper's "Ours" columns (Tables I and II), for the main tables
    "tvsum": {"VT": 0.897, "VU": 0.657, "GA": 0.925, "MS": 0.583, "PK": 0.847, "PR": 0.830, "FM": 0.697,
              "BK": 0.833, "BT": 0.875, "DS": 0.890},
    "youtube": {"dog": 0.642, "gymnastics": 0.758, "parkour": 0.709, "skating": 0.456, "skiing": 0.665,
                "surfing": 0.667},
}
PAPER_ABLATION = {"full": (0.651, 0.783), "wo_rasl": (0.560, 0.616), "wo_sa": (0.638, 0.711),
                  "wo_aux": (0.644, 0.724), "wo_vision": (0.625, 0.614), "wo_audio": (0.630, 0.704),
                  "sum": (0.630, 0.700), "concat": (0.628, 0.716), "mlp": (0.589, 0.604),
                  "lowrank": (0.621, 0.736), "scl": (0.651, 0.783)}


def summary(entry: dict, ds: str) -> dict | None:
    """mean/std over seeds, per category too, in the shape evaluate.format_table reads."""
    runs = [s[ds] for s in entry.get("seeds", {}).values() if ds in s]
    if not runs:
        return None
    return {**ev.aggregate(runs), "metric": ev.METRIC_NAMES[ds]}


def cell(res: dict | None) -> str:
    if res is None:
        return "not run"
    n = len(res.get("runs", [1]))
    return f"{res['mean']:.3f} ± {res['std']:.3f} (n={n})" if n > 1 else f"{res['mean']:.3f} (n=1)"


def describe(entry: dict) -> str:
    ch = ", ".join(f"{k}={v}" for k, v in entry.get("changes", {}).items()) or "-"
    return (f"preset `{entry['preset']}` + {ch}; {entry['steps']} steps, lr {entry['lr']:g}, "
            f"window {entry['window']} clips, trained on {'+'.join(entry['train_on'])}"
            + (f"; reads the networks trained for '{entry['models_of']}'" if entry.get("models_of") else "")
            + (f", {read_text(entry['read'])}" if entry.get("read") else "")
            + ("; training windows filled 'none' (nothing repeated)" if entry.get("fill") == "none" else "")
            + (f"; k points chosen by the same seed of '{entry['teacher']['of']}', its s's share of the mix with the "
               f"norm {entry['teacher']['share']:.3g}" if entry.get("teacher") else ""))


def read_text(read: dict) -> str:
    """A variant's ``read`` (experiments/common.read_scorer) in words."""
    if read.get("blend"):
        return "read " + " and ".join(read["blend"]) + ", the mean of the readings (each standardised per video)"
    if read.get("overlap"):
        return "read in two window grids half a window apart (detect's reading)"
    if "window" in read and read["window"] is None:
        return "each video read in one window of its own length"
    return f"read in plain {read['window']}-clip windows"


M, M4, D, T = "magnitude_200steps", "magnitude_400steps", "domains_200steps", "teacher_200steps"
W, I, R, L4 = "weights_200steps", "inputs_200steps", "readout_200steps", "readout_400steps"
DS = "distill_400steps"

#: Round-3 rows shown in the main tables too (transductive, and labelled so).
DOMAIN_COLUMNS = {
    "scale_s_s1_l2": "one network per category, s = decoded length, TRANSDUCTIVE",
    "scale_s_s1_l2_length": "the same networks read as decoded length, TRANSDUCTIVE",
    "fit_product": "'fit' preset per category at the short-fit lr 3e-4, TRANSDUCTIVE",
    "fit_heldout": "'fit' preset per domain, scoring the held-out half (inductive)",
}


#: Round-8 rows shown in the main tables too (pretrained on YouTube, the paper's protocol).
TEACHER_COLUMNS = {"teacher_sighted": "RASL, the norm chooses Eq. (8)'s k points (round 8)"}
#: Round-10 rows shown in the main tables too.
INPUT_COLUMNS = {"window_128": "RASL, the norm chooses Eq. (8)'s k points, 128-clip windows (round 10)"}
#: Round-13 rows shown in the main tables too.
READOUT_COLUMNS = {"w128_whole": "the same networks, each video read whole (round 13)"}
#: Round-16 rows shown in the main tables too.
LONGER_COLUMNS = {"w128_whole": "the same configuration trained 400 steps, each video read whole (round 16)",
                  "w128t_whole": "the same, pretrained on YouTube + TVSum features (round 23), TRANSDUCTIVE"}


def baseline_columns(ds: str) -> dict[str, dict]:
    b = load_group("baselines")
    cols = {}
    for name in ev.BASELINES:
        r = b.get(f"{name}:{ds}")
        if r:
            cols[f"{name}"] = {**r, "std": r.get("std") if name == "random" else None,
                               "metric": ev.METRIC_NAMES[ds]}
    return cols


#: fit.json rows named as they read now that the detect default moved (the stored labels predate it).
FIT_LABELS = {
    "fit_preset": "'fit' preset, fit on each video alone, 40 steps (detect's default until 2026-11-28)",
    "fit_preset_200steps": "'fit' preset, fit on each video alone, 200 steps (detect's default on one file)",
}


def main_tables(lines: list[str]) -> dict:
    main = load_group("main")
    fit = {name: {**entry, "label": FIT_LABELS.get(name, entry["label"])} for name, entry in load_group("fit").items()}
    domains = {name: {**entry, "label": label} for name, label in DOMAIN_COLUMNS.items()
               if (entry := load_group(D).get(name))}
    taught = {f"{group}/{name}": {**entry, "label": label + _shipped_mark(group, name), "group": group}
              for group, columns in ((T, TEACHER_COLUMNS), (I, INPUT_COLUMNS), (R, READOUT_COLUMNS),
                                     (L4, LONGER_COLUMNS))
              for name, label in columns.items()
              if (entry := load_group(group).get(name))}
    picked = {}
    for ds in DATASETS:
        cols = baseline_columns(ds)
        for group in (main, taught, fit, domains):
            for entry in group.values():
                s = summary(entry, ds)
                if s:
                    cols[f"{entry['label']} (n={len(s['runs'])})"] = s
        picked[ds] = cols
        cols_with_paper = {**cols, "paper (reported)": {"per_category": PAPER_TABLES[ds],
                                                         "mean": ev.PAPER[ds], "metric": ev.METRIC_NAMES[ds]}}
        title = ("TVSum, all 50 videos (never seen in pretraining)" if ds == "tvsum" else
                 "YouTube Highlights, UMT train split, 234 videos with features (seen in pretraining "
                 "without labels; the paper's column is on the test split)")
        lines += [ev.format_table(cols_with_paper, title=title), ""]
    lines.append("Runs behind the columns:\n")
    for group, gname in ((main, "main"), (taught, T), (fit, "fit"), (domains, D)):
        for _name, entry in group.items():
            lines.append(f"- **{entry['label']}** ({entry.get('group', gname)}.json): {describe(entry)}. "
                         f"{entry.get('note', '')}")
    lines.append("")
    return picked


#: Rows of the label-reading table shown in the main results (the rest are listed below it).
READING_MAIN = ("baselines/random", "baselines/norm", "baselines/distinct", "feature_analysis/contrast+norm",
                "main/paper", "main/best", "main/transductive", "magnitude_200steps/scale_s_s1_length",
                "teacher_200steps/teacher_sighted", "inputs_200steps/window_128", "readout_200steps/w128_whole",
                "readout_400steps/w128_whole", "readout_400steps/w128t_whole",
                "fit/fit_preset",
                "domains_200steps/fit_heldout", "domains_200steps/scale_s_s1_l2_length")


READING_LABELS = {
    "main/best": "RASL, 'default' preset, pretrained on YouTube",
    "main/paper": "RASL, 'paper' preset, pretrained on YouTube",
    "main/transductive": "softmax + gate_norm, pretrained on YouTube + TVSum, TRANSDUCTIVE",
    "readout_400steps/w128t_whole": "the shipped configuration pretrained on YouTube + TVSum, read whole (round 23), "
                                    "TRANSDUCTIVE",
    "magnitude_200steps/scale_s_s1_length": "s as the decoded length, stride 1, pretrained on YouTube "
                                            "(the best pretrained row before round 8)",
    "fit/fit_preset": FIT_LABELS["fit_preset"],
    **{f"{D}/{name}": label for name, label in DOMAIN_COLUMNS.items()},
    f"{D}/scale_s_s1_l2_length": "one network per category, s read as the decoded length, TRANSDUCTIVE",
    "teacher_200steps/teacher_blind": "the norm chooses Eq. (8)'s k points, s blind to magnitude, pretrained on "
                                      "YouTube (round 8)",
    "teacher_200steps/self_blind": "s chooses its own k points (Eq. (6)/(7)), s blind to magnitude, pretrained on "
                                   "YouTube (round 8's control)",
    "teacher_200steps/teacher_sighted": "the norm chooses Eq. (8)'s k points, the encoder sees magnitudes, "
                                        "pretrained on YouTube (round 8; the best pretrained row until round 10)",
    "teacher_200steps/teacher_sighted_mean": "the same without Eq. (8)'s contrast (eta = mean s at the norm's top k; "
                                             "round 8, added after the first results)",
    "teacher_200steps/teacher_sighted_lr1e-3": "teacher_sighted at the paper's lr 1e-3 (round 8 screen, added after "
                                               "the first results)",
    "teacher_400steps/teacher_sighted": "teacher_sighted trained 400 steps (round 8, added after the first results)",
    "inputs_200steps/window_128": "the norm chooses Eq. (8)'s k points, 128-clip windows, pretrained on YouTube "
                                  "(round 10; the best 200-step pretrained row)",
    "readout_200steps/w128_whole": "the same networks, each video read whole (round 13; the shipped checkpoint's "
                                   "reading)",
    "readout_400steps/w128_whole": "the same configuration trained 400 steps, each video read whole (round 16; the "
                                   "shipped checkpoint's row)",
}


def _rescored(ds: str) -> dict:
    return load_group(f"rescored_{ds}")


def _reading_rank_agreement() -> str:
    """Spearman correlation of the re-scored TVSum rows' means under the two readings."""
    rows = _rescored("tvsum").values()
    means = np.array([[np.mean([s[r]["mean"] for s in e["seeds"].values()]) for r in ("annotators", "mean")]
                      for e in rows])
    if len(means) < 3:
        return "too few rows"
    ranks = np.argsort(np.argsort(means, axis=0), axis=0)
    return f"Spearman {np.corrcoef(ranks.T)[0, 1]:.2f} over {len(means)} rows"


def _reading(source: str, reading: str, ds: str = "tvsum", group: str | None = None) -> str:
    """A re-scored row's figure under ``reading`` ('annotators' or 'mean' on TVSum, 'umt' on YouTube);
    ``group``: a results group in the re-scored layout other than the re-scored tables (default)."""
    entry = (load_group(group) if group else _rescored(ds)).get(source)
    if not entry:
        return "not run"
    return cell(ev.aggregate([s[reading] for s in entry["seeds"].values()]))


def section(lines: list[str], group: str, title: str, intro: str) -> dict:
    """Open a '###' section for results ``group``; returns its data, empty (and says "not run") if missing."""
    data = load_group(group)
    lines += [f"### {title}", "", intro, ""]
    if not data:
        lines += ["not run", ""]
    return data


def _seed_mean_per_video(entry: dict, reading: str) -> dict[str, float] | None:
    runs = [s[reading].get("per_video") for s in entry["seeds"].values()]
    if not runs or any(r is None for r in runs):
        return None
    return {vid: float(np.mean([r[vid] for r in runs])) for vid in runs[0]}


def _interval(vs: dict) -> str:
    """A paired bootstrap's difference and 95% interval, as every table prints them."""
    lo, hi = vs["ci95"]
    return f"{round(vs['diff'], 3) + 0.0:+.3f} [{round(lo, 3) + 0.0:+.3f}, {round(hi, 3) + 0.0:+.3f}]"  # no "-0.000"


def _vs_norm(source: str, reading: str, ds: str = "tvsum", group: str | None = None) -> str:
    """Row minus the RGB norm with its 95% interval over videos (paired bootstrap, seeds averaged first);
    ``group`` as for :func:`_reading`."""
    vs = _norm_bootstrap(source, reading, ds, group)
    return "-" if vs is None else _interval(vs)


def _norm_bootstrap(source: str, reading: str, ds: str = "tvsum", group: str | None = None) -> dict | None:
    """The paired bootstrap behind :func:`_vs_norm` (None where a row or the norm has no per-video figures)."""
    data = _rescored(ds)
    rows = load_group(group) if group else data
    a = _seed_mean_per_video(rows[source], reading) if source in rows else None
    b = _seed_mean_per_video(data["baselines/norm"], reading) if "baselines/norm" in data else None
    if a is None or b is None or source == "baselines/norm":
        return None
    return paired_bootstrap(a, b, {v.video_id: v.domain for v in videos(ds)})


def _rescored_rows(lines: list[str], data: dict, cells: Callable[[str], list[str]]) -> None:
    """One table row per re-scored source: the headline rows first (READING_MAIN order), then the rest."""
    lead = [k for k in READING_MAIN if k in data]
    for n, source in enumerate(lead + [k for k in data if k not in READING_MAIN]):
        row = cells(source)
        if n == len(lead):
            lines.append("| *every other re-scored row* |" + " |" * len(row))
        label = READING_LABELS.get(source, data[source]["label"])
        lines.append(f"| {label} (`{source}`) | " + " | ".join(row) + " |")


BOOTSTRAP_NOTE = ("'minus norm' compares a row with the RGB norm video by video: the difference of the two figures "
                  "and its 95% interval when the videos are resampled within their categories (paired bootstrap, "
                  "10,000 draws, seeds averaged first; `highlit.metrics.paired_bootstrap`). Seeds vary the "
                  "networks; this varies the videos, the larger source of doubt here.")


def label_reading_table(lines: list[str]) -> None:
    data = section(lines, "rescored_tvsum", "TVSum under the seed paper's label reading, and against the norm",
                   "`python experiments/rescore.py --dataset tvsum --fit fit_preset` (re-scores the stored networks; "
                   "`highlit evaluate --tvsum-labels mean` for one checkpoint)")
    if not data:
        return
    lines += ["Our tables use UMT's evaluation code: each of TVSum's 20 annotators is thresholded at their own "
              "median and the 20 top-5 APs are averaged. The seed paper (Section IV-A) instead averages the 20 "
              "annotators' scores per segment first and scores against that one label. The same scores, read both "
              "ways (the per-annotator figure is recomputed and checked against the stored one, so these are the "
              "same networks; fit-on-input rows are refitted with the same seed).", "", BOOTSTRAP_NOTE, "",
              "| row | UMT reading (per annotator; our tables) | the paper's reading (annotator mean) | "
              "minus norm, per annotator [95% CI] | minus norm, annotator mean [95% CI] |",
              "|---|---|---|---|---|"]
    _rescored_rows(lines, data, lambda source: [_reading(source, "annotators"), _reading(source, "mean"),
                                                _vs_norm(source, "annotators"), _vs_norm(source, "mean")])
    lines += [f"| paper (reported, Table II) | - | {ev.PAPER['tvsum']:.3f} | - | - |", ""]


def youtube_vs_norm_table(lines: list[str]) -> None:
    data = section(lines, "rescored_youtube", "YouTube Highlights against the norm",
                   "`python experiments/rescore.py --dataset youtube`")
    if not data:
        return
    lines += [BOOTSTRAP_NOTE, "", "| row | mAP | minus norm [95% CI] |", "|---|---|---|"]
    _rescored_rows(lines, data, lambda source: [_reading(source, "umt", "youtube"),
                                                _vs_norm(source, "umt", "youtube")])
    lines.append("")


def _with_norm_order(key: str) -> tuple[int, float]:
    """Rows in the order of the re-scored tables' labels, the larger weight first."""
    source, w = key.split(" | w=")
    labels = list(READING_LABELS)
    return (labels.index(source) if source in labels else len(labels), -float(w))


def with_norm_table(lines: list[str]) -> None:
    tvsum, youtube = load_group("with_norm_tvsum"), load_group("with_norm_youtube")
    lines += ["### Does s add anything to the norm? (rank sums)", "",
              "`python experiments/with_norm.py --dataset tvsum --fit fit_preset`, `python experiments/with_norm.py "
              "--dataset tvsum`, `python experiments/with_norm.py --dataset youtube` (stored networks read again; "
              "score = w x the network's within-video rank + the RGB norm's rank, w fixed at 1 and 0.5 before any "
              "result)", ""]
    if not tvsum and not youtube:
        lines += ["not run", ""]
        return
    lines += [BOOTSTRAP_NOTE, "", "| row | w | TVSum, per annotator | minus norm [95% CI] | TVSum, the paper's "
              "reading | minus norm [95% CI] | YouTube | minus norm [95% CI] |", "|---|---|---|---|---|---|---|---|"]
    for key in sorted(set(tvsum) | set(youtube), key=_with_norm_order):
        source, w = key.split(" | w=")
        row = [_reading(key, "annotators", "tvsum", "with_norm_tvsum"),
               _vs_norm(key, "annotators", "tvsum", "with_norm_tvsum"),
               _reading(key, "mean", "tvsum", "with_norm_tvsum"), _vs_norm(key, "mean", "tvsum", "with_norm_tvsum"),
               _reading(key, "umt", "youtube", "with_norm_youtube"),
               _vs_norm(key, "umt", "youtube", "with_norm_youtube")]
        lines.append(f"| {READING_LABELS.get(source, source)} (`{source}`) | {w} | " + " | ".join(row) + " |")
    lines.append("")


def compact_table(lines: list[str], group: str, title: str, command: str, paper: bool = True,
                  reference: str | None = None, reference_name: str = "full") -> None:
    data = load_group(group)
    lines += [f"### {title}", "", f"`{command}`", ""]
    if not data:
        lines += ["not run (CPU time ran out; the command above runs it)", ""]
        return
    head = "| variant | YouTube mAP | TVSum top-5 mAP | paper YT / TVSum | setting |"
    lines += [head, "|---|---|---|---|---|"] if paper else \
        ["| variant | YouTube mAP | TVSum top-5 mAP | setting |", "|---|---|---|---|"]
    rows = dict(data)
    if reference and reference in load_group("main"):
        main = load_group("main")[reference]
        rows = {reference_name: {**main, "label": f"{reference_name} (main '{reference}' row)"}, **rows}
    for name, entry in rows.items():
        yt, tv = cell(summary(entry, "youtube")), cell(summary(entry, "tvsum"))
        ref = PAPER_ABLATION.get(name)
        ref_s = f"{ref[0]:.3f} / {ref[1]:.3f}" if ref else "-"
        desc = describe(entry) + (f" ({entry['note']})" if entry.get("note") else "")
        lines.append(f"| {entry['label']} | {yt} | {tv} | {ref_s} | {desc} |" if paper
                     else f"| {entry['label']} | {yt} | {tv} | {desc} |")
    lines.append("")


def research_tables(lines: list[str]) -> None:
    for script in ("research", "magnitude", "domains", "teacher", "weights", "inputs", "readout", "distill"):
        for path in sorted(RESULTS.glob(f"{script}_*.json")):
            group = path.stem
            compact_table(lines, group, f"Research screening: {group}",
                          f"python experiments/{script}.py  # group {group}", paper=False)


def feature_table(lines: list[str]) -> None:
    data = section(lines, "feature_analysis",
                   "Which label-free statistics carry signal on these features? (hypothesis a)",
                   "`python experiments/feature_analysis.py` (numpy only; each clip scored by a statistic of its "
                   "own feature row within its video; no training)")
    if not data:
        return
    lines += ["| features | statistic | TVSum top-5 mAP | YouTube mAP |", "|---|---|---|---|"]
    for key, r in data.items():
        kind, stat = key.split(" | ")
        lines.append(f"| {kind} | {stat} | {r['tvsum']['mean']:.3f} | {r['youtube']['mean']:.3f} |")
    lines.append("")


CORPUS_FAMILIES = ("geometry", "local", "category")


def _cs(key: str, reading: str, group: str = "corpus_statistics") -> str:
    """A corpus_statistics (or self_training) figure with its difference to the norm and the 95% interval over
    videos."""
    r = load_group(group).get(key, {}).get(reading)
    if not r:
        return "not run"
    return f"{r['mean']:.3f} ({_interval(r['vs_norm'])})"


def corpus_table(lines: list[str]) -> None:
    data = section(lines, "corpus_statistics", "What does a corpus know beyond magnitude? (round 4)",
                   "`python experiments/corpus_statistics.py` (numpy and one linear classifier; no highlight labels; "
                   "each cell: figure (difference to the RGB norm [95% interval over videos]))")
    if not data:
        return
    lines += ["| family | statistic | reads | TVSum top-5 mAP, per annotator | TVSum, the paper's reading | "
              "YouTube mAP |", "|---|---|---|---|---|---|"]
    rows = sorted((k for k in data if k != "ceiling"), key=lambda k: CORPUS_FAMILIES.index(k.split(" | ")[0]))
    for key in rows:
        r = data[key]
        family, stat, *_ = key.split(" | ")
        lines.append(f"| {family} | {stat} | {r['uses']} | {_cs(key, 'tvsum')} | {_cs(key, 'tvsum_mean')} | "
                     f"{_cs(key, 'youtube')} |")
    lines.append("")


def self_training_table(lines: list[str]) -> None:
    data = section(lines, "self_training", "Can the norm teach direction? (round 6, self-training)",
                   "`python experiments/self_training.py` (numpy; no highlight labels; a map from a clip's direction "
                   "to its within-video norm rank, fitted on other videos; each cell: figure (difference to the RGB "
                   "norm [95% interval over videos]); rows marked 'sensitivity' and the 'both benchmarks' rows were "
                   "added after the first results)")
    if not data:
        return
    lines += ["| fitted on | teacher | read | TVSum top-5 mAP, per annotator | TVSum, the paper's reading | "
              "YouTube mAP |", "|---|---|---|---|---|---|"]
    corpora = ("category", "benchmark", "other benchmark", "both benchmarks")
    keys = sorted((k for k in data if k != "diagnostics"),
                  key=lambda k: (corpora.index(k.split(" | ")[0]), "sensitivity" in k, k))
    for key in keys:
        corpus, teacher, read = key.split(" | ")
        lines.append(f"| {data[key]['uses']} | {teacher} | {read} | {_cs(key, 'tvsum', 'self_training')} | "
                     f"{_cs(key, 'tvsum_mean', 'self_training')} | {_cs(key, 'youtube', 'self_training')} |")
    lines.append("")


def av_agreement_table(lines: list[str]) -> None:
    data = section(lines, "av_agreement", "Does sight agreeing with sound mark highlights? (round 7, Eq. (9)'s "
                   "agreement read as a score)",
                   "`python experiments/av_agreement.py` (numpy; no highlight labels; CCA between a clip's visual and "
                   "audio rows fitted on other videos, 32 canonical pairs; each cell: figure (difference to the RGB "
                   "norm [95% interval over videos]); every variant run is listed; the trained networks' rows, n "
                   "seeds, were added after the CCA rows and show the seeds' mean)")
    if not data:
        return
    lines += ["| fitted on | score | read | TVSum top-5 mAP, per annotator | TVSum, the paper's reading | "
              "YouTube mAP |", "|---|---|---|---|---|---|"]
    for key in (k for k in data if k != "diagnostics"):
        corpus, score, read = key.split(" | ")
        fitted = data[key]["uses"] + (f" (`{corpus}`, n={data[key]['n_seeds']})" if "n_seeds" in data[key] else "")
        lines.append(f"| {fitted} | {score} | {read} | {_cs(key, 'tvsum', 'av_agreement')} | "
                     f"{_cs(key, 'tvsum_mean', 'av_agreement')} | {_cs(key, 'youtube', 'av_agreement')} |")
    lines.append("")


def supervised_table(lines: list[str]) -> None:
    data = section(lines, "supervised_probe",
                   "With labels: how far does a supervised scorer get? (a reference, not a method)",
                   "`python experiments/supervised_probe.py` (ridge regression from a clip's own I3D row and RGB "
                   "norm to its label) and `python experiments/supervised_sequence.py` (a small transformer over the "
                   "clip sequence, as supervised highlight models read it); labels are used here on purpose, to "
                   "bound what a score read from these features can reach")
    if not data:
        return
    all_norm = _fa("rgb | L2 norm (magnitude)", "tvsum")
    lines += ["| labels from | TVSum top-5 mAP | RGB norm, same videos |", "|---|---|---|"]
    lines += [f"| {key} | {r['tvsum']['mean']:.3f} | "
              f"{format(r['norm_same_videos'], '.3f') if 'norm_same_videos' in r else all_norm} |"
              for key, r in data.items()]
    lines.append("")


def efficiency(lines: list[str]) -> None:
    data = section(lines, "efficiency", "Efficiency (Table VI)", "`python experiments/efficiency.py`")
    if not data:
        return
    lines += ["| preset | input dim | parameters | inference params | FLOPs (pair, 150 steps) | multiply-adds | "
              "CPU ms per 30 s clip (1 thread) |", "|---|---|---|---|---|---|---|"]
    for _key, r in data.items():
        lines.append(f"| {r['preset']} | {r['visual_dim']} | {r['parameters'] / 1e6:.2f} M | "
                     f"{r['inference_parameters'] / 1e6:.2f} M | {r['flops_pair'] / 1e9:.2f} G | "
                     f"{r['macs_pair'] / 1e9:.2f} G | {r['cpu_ms_per_30s_clip']:.1f} |")
    loads = sorted({r["load_avg_1min"] for r in data.values()})
    lines += ["", f"Paper (Table VI): 8.53 M parameters, 0.82 G FLOPs. CPU time measured on "
                  f"{next(iter(data.values()))['cpus']} shared cores (load average {loads[0]}-{loads[-1]} at the "
                  "times), model only, features not included; compare rows measured at similar load.", ""]


def _fa(key: str, ds: str) -> str:
    r = load_group("feature_analysis").get(key)
    return f"{r[ds]['mean']:.3f}" if r else "n/a"


def _main(name: str, ds: str) -> str:
    entry = load_group("main").get(name)
    s = summary(entry, ds) if entry else None
    return cell(s)


def diagnostics_table(lines: list[str]) -> None:
    data = section(lines, "diagnostics", "Does s collapse? (hypothesis b)",
                   "`python experiments/diagnose.py main {paper,best,budget} 0` (one call per run)")
    if not data:
        return
    lines += ["| run | dataset | s range | share of steps within 0.01 of the video's max s | distinct s values | "
              "corr(s, RGB norm) |", "|---|---|---|---|---|---|"]
    for key, rec in data.items():
        for ds, r in rec.items():
            corr = "n/a" if r["corr_with_rgb_norm"] is None else f"{r['corr_with_rgb_norm']:+.2f}"
            lines.append(f"| {key} | {ds} | {r['s_min']:.3g} .. {r['s_max']:.3g} | {r['near_max_share']:.2f} | "
                         f"{r['distinct_share']:.2f} | {corr} |")
    lines.append("")


def _diag(run: str, ds: str, key: str, fmt: str = "{:.0%}") -> str:
    """A diagnostics figure of run ``run`` ('main' group name, or a full 'group/name/seedN' key)."""
    r = load_group("diagnostics").get(run if "/" in run else f"main/{run}/seed0", {}).get(ds)
    return fmt.format(r[key]) if r and r.get(key) is not None else "n/a"


def _seeds(name: str, seeds: tuple[int, ...] = (0, 1), ds: str = "tvsum") -> str:
    """Seed by seed figures of a fit-on-each-video row (seeds differ by about 0.01-0.03 there)."""
    records = load_group("fit").get(name, {}).get("seeds", {})
    return " / ".join(f"{records[str(k)][ds]['mean']:.3f}" if str(k) in records else "not run" for k in seeds)


def _stability(steps: int) -> str:
    """Mean seed agreement over the clips of benchmarks/results/fit_stability.json at ``steps`` fit steps."""
    path = ROOT / "benchmarks" / "results" / "fit_stability.json"
    rows = [r for r in json.loads(path.read_text())["rows"] if r["fit_steps"] == steps] if path.is_file() else []
    return f"{sum(r['seed_agreement_mean'] for r in rows) / len(rows):.2f}" if rows else "not measured"


def _group(group: str, name: str, ds: str) -> str:
    entry = load_group(group).get(name)
    s = summary(entry, ds) if entry else None
    return cell(s) if s else "not run"


CROSS_COS = "rgb | cross-video: mean cosine to the 10 nearest clips of the category's other videos"
CROSS_DOT = "rgb | cross-video: mean dot product with the 10 nearest clips of the category's other videos"
CROSS_CON = ("rgb | cross-category contrast: cosine to the category's other videos minus to other categories' "
             "videos")
CROSS_CON_NORM = "rgb | cross-category contrast rank + RGB norm rank"


def _sup(setup: str) -> str:
    """Best TVSum figure over the ridge lambdas of one supervised_probe setup."""
    vals = [r["tvsum"]["mean"] for k, r in load_group("supervised_probe").items() if k.startswith(setup + " (")]
    return f"{max(vals):.3f}" if vals else "n/a"


def _seq(setup: str) -> str:
    """A supervised_sequence setup's TVSum figure over its seeds and the RGB norm's on the same videos."""
    rows = [r for k, r in load_group("supervised_probe").items() if k.startswith(setup) and "norm_same_videos" in r]
    if not rows:
        return "n/a"
    return (f"{cell(ev.aggregate([r['tvsum'] for r in rows]))} (RGB norm on the same videos "
            f"{rows[0]['norm_same_videos']:.3f})")


def _contrast(name: str, ds: str) -> str:
    """A heldout_contrast read-out over its seeds."""
    runs = [r for k, r in load_group("heldout_contrast").items() if k.startswith(name) and f" | {ds} | " in k]
    return cell(ev.aggregate(runs)) if runs else "n/a"


def _val_norm() -> str:
    r = load_group("baselines").get("norm:tvsum:val")
    return f"{r['mean']:.3f}" if r else "n/a"


def _fa_random(ds: str) -> str:
    r = load_group("baselines").get(f"random:{ds}")
    return f"{r['mean']:.3f}" if r else "n/a"


def narrative(lines: list[str]) -> None:
    """The reading of the tables; every figure quoted is pulled from the JSON files."""
    r150 = "research_150steps_w64"
    lines += [
        "What the runs say (seed spread is 0.02-0.06, so single-seed differences below that are noise):", "",
        f"1. **Magnitude is the only strong label-free signal in these features.** The RGB feature norm scores "
        f"{_fa('rgb | L2 norm (magnitude)', 'tvsum')} TVSum / {_fa('rgb | L2 norm (magnitude)', 'youtube')} "
        "YouTube. Statistics of feature *direction* are at or below random on TVSum whichever way they point: "
        f"distinct from the video mean (cosine) {_fa('rgb+flow | distinct: minus cosine to the video mean', 'tvsum')}, "
        f"typical (cosine to the mean) {_fa('rgb+flow | typical: cosine to the video mean', 'tvsum')}. "
        "Fig. 1's count of similar clips works only as far as it follows magnitude "
        f"({_fa('rgb+flow | distinct: Fig. 1 count, 30 s window', 'tvsum')} TVSum, "
        f"{_fa('rgb+flow | distinct: Fig. 1 count, 30 s window', 'youtube')} YouTube). The clearest effect is "
        "inverted: the clips with the most near-duplicates are strongly *non*-highlights "
        f"({_fa('rgb+flow | typical: minus mean MSE to 5 nearest clips', 'tvsum')} TVSum, far below random), so "
        "\"distinct = highlight\" holds here only as \"not a near-duplicate and large in magnitude\". Audio "
        "statistics carry almost nothing on either benchmark. Magnitude-normalised objectives therefore have "
        "nothing left to find, which is why the prototype's magnitude-normalised reconstruction error was below "
        "random.",
        f"2. **The literal s collapses.** With Eq. (8) and a sigmoid, {_diag('paper', 'tvsum', 'near_max_share')} "
        "of TVSum steps end within 0.01 of their video's largest s and only "
        f"{_diag('paper', 'tvsum', 'distinct_share')} of the s values are distinct: Eq. (8) only pushes the "
        "top-k up, nothing pulls the rest down, so the ranking is made of residual noise and ties. The 'paper' "
        f"preset scores {_main('paper', 'tvsum')} TVSum and {_main('paper', 'youtube')} YouTube.",
        "3. **A budget on s stops the collapse but does not make s a highlight detector.** Softmax over the "
        f"window (mean 1): {_diag('budget', 'tvsum', 'near_max_share')} of steps near the max, "
        f"{_diag('budget', 'tvsum', 'distinct_share')} distinct, correlation with the RGB norm "
        f"{_diag('budget', 'tvsum', 'corr_with_rgb_norm', '{:+.2f}')}. YouTube rises above random "
        f"({_main('budget', 'youtube')}), TVSum does not ({_main('budget', 'tvsum')}).",
        "4. **s * r is scale-ambiguous.** Whatever s does, the encoder can rescale r_i to compensate, so Eq. (5) "
        "never forces s to carry information (and with an unbounded s even its sign is free: the 'none' runs "
        f"flip, {_group(r150, 'rnorm_none_nokpoint_s1', 'tvsum')} TVSum). Decoding s * r/|r| "
        "(`gate_norm='l2'`) removes the per-step scale of r, so s has to supply it. Over 3 seeds: sigmoid s + "
        f"gate_norm, no Eq. (8) (the 'default' preset) {_main('best', 'youtube')} YouTube / "
        f"{_main('best', 'tvsum')} TVSum; the same with a softmax budget {_main('softmax_l2', 'youtube')} / "
        f"{_main('softmax_l2', 'tvsum')}; softmax budget without gate_norm {_main('budget', 'youtube')} / "
        f"{_main('budget', 'tvsum')}. The direction of r can still carry magnitude, so this is only a partial "
        f"fix: s correlates {_diag('best', 'tvsum', 'corr_with_rgb_norm', '{:+.2f}')} with the RGB norm and "
        "stays below the norm itself on both benchmarks.",
        "5. **With a budget, Eq. (8) hurts**: on the softmax + gate_norm preset, adding the k-point loss "
        f"(k = 2: {_group('ksweep', 'k2_contrast', 'tvsum')} TVSum, {_group('ksweep', 'k2_contrast', 'youtube')} "
        f"YouTube) or its 'mean' ablation ({_group('ksweep', 'k2_mean', 'tvsum')}, "
        f"{_group('ksweep', 'k2_mean', 'youtube')}) is below the same preset without it "
        f"({_main('softmax_l2', 'tvsum')}, {_main('softmax_l2', 'youtube')}); so the 'default' preset has no "
        "L_r, and it coincides with the Table III 'w/o RASL' row.",
        "6. **Not what limits it** (single-seed screens at 150 steps unless said): time resolution of s on the "
        f"2 s grid (stride 1: {_group(r150, 'softmax_nokpoint_stride1', 'tvsum')} vs stride 2: "
        f"{_group(r150, 'softmax_nokpoint', 'tvsum')} TVSum), lr 1e-3 vs 1e-4, squared vs absolute error "
        f"({_group(r150, 'default_l2loss', 'tvsum')} TVSum), 128-clip windows "
        f"({_group(r150, 'default_w128', 'tvsum')}; but with round 8's teacher 128-clip windows help a little, "
        "item 23). Longer training drifts away from the signal: the default "
        f"preset after 600 steps scores {_group('research_600steps_w64', 'default', 'tvsum')} TVSum, "
        f"{_group('research_600steps_w64', 'default', 'youtube')} YouTube (200 steps: {_main('best', 'tvsum')}, "
        f"{_main('best', 'youtube')}).",
        f"7. **Fit on input** (a fresh network per TVSum video, softmax + gate_norm, 30 steps, batch 4): "
        f"{_group('fit', 'fit_best', 'tvsum')} TVSum, "
        f"{load_group('fit').get('fit_best', {}).get('seeds', {}).get('0', {}).get('per_video_s', 'n/a')} s "
        "wall time per video (1 thread, shared machine); no better than pretraining on another dataset.",
        "8. **Why the paper's numbers are out of reach here (our reading, not proven):** the paper pretrains "
        "on ActivityNet with transformer image/audio features at 5 fps and scores TVSum against annotator "
        "scores averaged per segment, not UMT's per-annotator protocol used here; that reading alone moves the "
        "scale (item 15: RGB norm " + _reading("baselines/norm", "mean") + ", random "
        + _reading("baselines/random", "mean") + " under it). On these 2 s I3D "
        "clips the strong label-free cue we found is magnitude, and the activations of a "
        "reconstruction network learn at best a blurred proxy of it; the one cue beyond it, content typical of a "
        "category but not of the others (item 10), is not what RASL's activations pick up (item 14). No "
        "label-free objective we tried in the RASL family beats the plain RGB norm on TVSum.",
        "9. **Round 2: make s the carrier of magnitude** (`python experiments/magnitude.py`; the tables "
        "'magnitude_*' below). Two new config values, both off in every preset: `encoder_norm='l2'` (F and E "
        "see rho/|rho| while Eq. (5) still reconstructs rho, so r cannot carry a step's size) and "
        "`decoder_scale='s'` (each decoded step keeps only its direction and takes its length from s: "
        "|rho_tilde_i| = s_i times the clip's mean |rho|, so s *is* the reconstructed magnitude). "
        "The second does what it says: s correlates "
        f"{_diag(M + '/scale_s_s1/seed0', 'tvsum', 'corr_with_rgb_norm', '{:+.2f}')} with the RGB norm on TVSum "
        f"(the 'default' preset: {_diag('best', 'tvsum', 'corr_with_rgb_norm', '{:+.2f}')}). On the 2 s grid it "
        "needs `stride=1`, one s per clip: three stride-2 layers put one s on 8 clips (16 s), and smoothing the "
        f"norm over 9 clips alone drops it to {_fa('rgb | L2 norm, moving average over 9 clips', 'tvsum')} TVSum "
        f"(3 clips: {_fa('rgb | L2 norm, moving average over 3 clips', 'tvsum')}); on raw video the default's "
        "stride 2 at 0.2 s already gives one s per 1.6 s. Results: `decoder_scale='s'`, stride 1 "
        f"{_group(M, 'scale_s_s1', 'tvsum')} TVSum / {_group(M, 'scale_s_s1', 'youtube')} YouTube (stride 2: "
        f"{_group(M, 'scale_s', 'tvsum')} / {_group(M, 'scale_s', 'youtube')}); `encoder_norm='l2'` alone, "
        f"stride 2: {_group(M, 'magnitude', 'tvsum')} / {_group(M, 'magnitude', 'youtube')}; both together "
        f"(s must predict the length from content): {_group(M, 'scale_s_blind_s1', 'tvsum')} / "
        f"{_group(M, 'scale_s_blind_s1', 'youtube')}. Against the 'default' preset ({_main('best', 'tvsum')} / "
        f"{_main('best', 'youtube')}) both changes buy TVSum and lose YouTube, so the choice rule (YouTube first) "
        "keeps the default. Trained longer and faster (400 steps, lr 3e-4): "
        f"{_group(M4, 'scale_s_s1_lr3e-4', 'tvsum')} / {_group(M4, 'scale_s_s1_lr3e-4', 'youtube')}; with "
        "squared error, whose best length is |rho_i| cos(rho_i, D_i), magnitude times how well the step's "
        f"content is reconstructed: {_group(M4, 'scale_s_s1_l2_lr3e-4', 'tvsum')} / "
        f"{_group(M4, 'scale_s_s1_l2_lr3e-4', 'youtube')}. An s that learns the magnitude can at best equal "
        "the norm, and here it stays a blurred copy of it, renormalised per window by the softmax budget.",
        "10. **The one cue beyond magnitude we found** is recurrence across a category's videos (numpy, no "
        "labels; the category is the dataset's grouping): the mean cosine of a clip to its 10 nearest clips in "
        "the category's other videos scores "
        f"{_fa(CROSS_COS, 'youtube')} YouTube (random {_fa_random('youtube')}) but "
        f"{_fa(CROSS_COS, 'tvsum')} TVSum; with the dot product (magnitude as well) "
        f"{_fa(CROSS_DOT, 'tvsum')} TVSum / {_fa(CROSS_DOT, 'youtube')} YouTube, within 0.01 of the norm. "
        "Recurrence alone fails on TVSum because much of what recurs there recurs in every category (generic "
        "footage). Contrasting that away, the cosine to the category's other videos minus the "
        "cosine to the other categories' videos (content typical of this kind of video, not of video in "
        f"general) scores {_fa(CROSS_CON, 'tvsum')} TVSum / {_fa(CROSS_CON, 'youtube')} YouTube from feature "
        "direction alone, the one direction statistic far above random on TVSum; its rank plus the RGB norm's "
        f"rank scores {_fa(CROSS_CON_NORM, 'tvsum')} TVSum / {_fa(CROSS_CON_NORM, 'youtube')} YouTube, the only "
        "label-free score above the norm on TVSum by more than 0.01 (`python experiments/feature_analysis.py "
        "--cross-only`; it needs other categories of the same corpus, so it is a finding about the features, "
        "not a method we ship). Round 3 (`python experiments/domains.py`, transductive: "
        "one network per category, pretrained without labels on that category's videos, scoring them) asks "
        "whether RASL picks that cue up. The 'default' preset per domain does not: "
        f"{_group(D, 'default', 'youtube')} YouTube (one network for all domains: {_main('best', 'youtube')}), "
        f"{_group(D, 'default', 'tvsum')} TVSum per category. With s as the decoded length under squared error "
        "(`decoder_scale='s'`, `recon_loss='l2'`, one s per clip), whose best value is |rho_i| cos(rho_i, D_i), "
        "magnitude times how well the domain's network reconstructs the step, it does on YouTube: "
        f"{_group(D, 'scale_s_s1_l2', 'youtube')}, the only trained row at or above the RGB norm "
        f"({_fa('rgb | L2 norm (magnitude)', 'youtube')}) on either benchmark, next to the numpy cross-video "
        f"dot-product cue ({_fa(CROSS_DOT, 'youtube')}); the same configuration as one network for all domains "
        f"scores {_group(M, 'scale_s_s1_l2', 'youtube')}, so the gain is the per-domain corpus. This is "
        "transductive (each "
        "network sees its test videos' features, never their labels) and uses the dataset's category grouping. "
        f"On TVSum (five videos per category, so a tiny corpus per network) it scores "
        f"{_group(D, 'scale_s_s1_l2', 'tvsum')} against the norm's {_fa('rgb | L2 norm (magnitude)', 'tvsum')} "
        f"and the best earlier trained row's {_group(M, 'magnitude', 'tvsum')}. It is a column of the main tables.",
        "11. **Labels barely help a per-clip scorer on TVSum** (`python experiments/supervised_probe.py`, a "
        "reference that uses labels on purpose): ridge regression from a clip's own feature row to its label, "
        f"trained on the YouTube labels, scores {_sup('YouTube labels -> TVSum')} TVSum; trained on the other nine "
        f"TVSum categories {_sup('TVSum, leave one category out')}; on the other four videos of the same category "
        f"{_sup('TVSum, leave one video out within its category')} (best ridge lambda of two each). The label-free "
        f"RGB norm ({_fa('rgb | L2 norm (magnitude)', 'tvsum')}) is within a few hundredths of all three: "
        "a score read from one clip's I3D row has "
        "little room above the norm here, at least for a linear read-out, with or without labels."
        + (" Adding temporal and video context to the ridge features (the mean of the 5 clips around, the deviation "
           "from the video's mean row, the within-video z-scored norm, the position; "
           "`python experiments/supervised_probe.py --context-only`): "
           f"{_sup('YouTube labels -> TVSum, + context')} (YouTube labels), "
           f"{_sup('TVSum, leave one category out, + context')} (other nine categories)."
           if _sup('TVSum, leave one category out, + context') != "n/a" else "")
        + " For scale: the norm on "
        "UMT's 10 TVSum validation videos, the subset supervised papers report, is "
        f"{_val_norm()} (`highlit evaluate --root ../shared/data/tvsum --split val --baseline norm`), against "
        f"{_fa('rgb | L2 norm (magnitude)', 'tvsum')} on all 50. A small supervised transformer over the clip "
        "sequence (`python experiments/supervised_sequence.py`: 2 attention layers, 300 steps, fixed before any "
        f"result) scores {_seq('TVSum split')} trained on each category's 4 UMT train videos and tested on its "
        f"val video, and {_seq('TVSum, leave one video out')} leaving one video out within its category. "
        "UMT itself reports 0.831 on those 10 val videos with these same features (TencentARC/UMT model zoo: "
        "one model per category, 500 epochs each), so with labels and a tuned supervised model the features "
        "do support far more than the norm; a quick supervised model, like every label-free score here, does "
        "not.",
        "12. **Reading s as the decoded length** (config `score_output='length'`, needs `decoder_scale='s'`): "
        "a softmax s averages 1 in every window, so across the windows of one video it ranks a dull window's "
        "best step like an eventful window's. Its decoded length s_i times the window's mean |rho| is what Eq. (5) "
        "reconstructs and is comparable across windows; within a window it ranks exactly as s. Re-reading the "
        "same trained networks (no retraining): one network per category "
        f"{_group(D, 'scale_s_s1_l2_length', 'tvsum')} TVSum / {_group(D, 'scale_s_s1_l2_length', 'youtube')} "
        f"YouTube (read as s: {_group(D, 'scale_s_s1_l2', 'tvsum')} / {_group(D, 'scale_s_s1_l2', 'youtube')}); "
        f"one network pretrained on YouTube {_group(M, 'scale_s_s1_length', 'tvsum')} / "
        f"{_group(M, 'scale_s_s1_length', 'youtube')} (as s: {_group(M, 'scale_s_s1', 'tvsum')} / "
        f"{_group(M, 'scale_s_s1', 'youtube')}). Seed by seed it helps in 11 of these 12 comparisons (all six "
        "on YouTube, five of six on TVSum); the pretrained-on-YouTube row stays below the norm.",
        "13. **The 'fit' preset and the product default.** `highlit detect` with no `--model` fits one network on "
        "all its inputs together: the per-category setting of round 3 when the inputs are a folder of same-kind "
        "footage. Its preset is now 'fit' (softmax s, `decoder_scale='s'`, squared error, read as the decoded "
        "length; stride 2 on the 0.2 s grid, one s per 1.6 s; stride 1 on the 2 s benchmark grid). Per category at "
        f"the short-fit lr (3e-4, 200 steps): {_group(D, 'fit_product', 'tvsum')} TVSum / "
        f"{_group(D, 'fit_product', 'youtube')} YouTube, against the 'default' preset per category "
        f"{_group(D, 'default', 'tvsum')} / {_group(D, 'default', 'youtube')}. On one video alone (a single "
        "file, 40 steps at lr 3e-4, the detect default until 2026-11-28): "
        f"{_group('fit', 'fit_preset', 'tvsum')} TVSum, "
        f"{load_group('fit').get('fit_preset', {}).get('seeds', {}).get('0', {}).get('per_video_s', 'n/a')} s per "
        f"video (at lr 1e-4: {_group('fit', 'fit_preset_lr1e-4', 'tvsum')}); one video is too small a corpus for "
        "the recurrence cue, so point it at a folder. A 40-step fit of one short video needs lr 3e-4, a 200-step "
        "folder fit is better at 1e-4 (per category, lr 1e-4: "
        f"{_group(D, 'scale_s_s1_l2_length', 'tvsum')} / {_group(D, 'scale_s_s1_l2_length', 'youtube')}), so the "
        "product's fit lr falls with the fit's length (`highlit.pipeline.fit_lr`: 3e-4 at 40 steps, "
        "1e-4 at 200, geometric in between). "
        "Short fits of one clip depend on the seed: on the four shared media clips two seeds rank the steps alike "
        f"at a mean Spearman correlation of {_stability(40)} with 40 steps, {_stability(100)} with 100 and "
        f"{_stability(200)} with 200 (`python benchmarks/fit_stability.py`); fitted longer on each TVSum "
        f"video alone the figure neither rises nor falls with them (seeds 0 / 1 / 2: 40 steps "
        f"{_seeds('fit_preset', (0, 1, 2))}, 100 steps {_seeds('fit_preset_100steps')} (seeds 0 / 1), 200 steps "
        f"{_seeds('fit_preset_200steps', (0, 1, 2))}; means {_group('fit', 'fit_preset', 'tvsum')} at 40 and "
        f"{_group('fit', 'fit_preset_200steps', 'tvsum')} at 200 steps, "
        f"{load_group('fit').get('fit_preset_200steps', {}).get('seeds', {}).get('0', {}).get('per_video_s', 'n/a')}"
        " s per video on one shared core; `python experiments/main.py --only fit_preset_100steps "
        "fit_preset_200steps --seeds 0 1 2`, lr from `fit_lr`). The rule fixed before seeds 1 and 2 ran: raise the "
        "default to 200 steps unless its 3-seed mean falls below the 40-step mean by more than the 40-step spread. "
        "It did not, so since 2026-11-28 `highlit detect` fits 200 steps whatever the input's length "
        "(`highlit.pipeline.FIT_STEPS`; before, 10 steps per minute of input, 40 to 200): the same benchmark "
        "figure, a ranking that no longer hangs on the seed.",
        "14. **Is the per-category gain transductive?** On YouTube partly, on TVSum mostly. With each YouTube "
        "domain's videos (sorted by id) "
        "dealt into two halves and each half scored by a network fitted on the other half only "
        "(`python experiments/domains.py --only fit_heldout --datasets youtube --seeds 0 1 2`), the 'fit' "
        f"configuration scores {_group(D, 'fit_heldout', 'youtube')} YouTube on videos it never saw: level with "
        f"the norm's {_fa('rgb | L2 norm (magnitude)', 'youtube')}, below the "
        f"{_group(D, 'scale_s_s1_l2_length', 'youtube')} it scores on the videos it was fitted on. Either seeing "
        "the test videos or the corpus size (half the domain here) accounts for the difference; the held-out "
        "networks still beat every network pretrained on all six domains. On TVSum the same two-fold split "
        "(networks fitted on two or three videos of the category; "
        "`python experiments/domains.py --only fit_heldout --datasets tvsum --seeds 0 1 2`; "
        "the three seeds' means agree to 0.001 by "
        "coincidence, their categories differ) scores "
        f"{_group(D, 'fit_heldout', 'tvsum')} against {_group(D, 'scale_s_s1_l2_length', 'tvsum')} "
        f"transductive and {_group('fit', 'fit_preset', 'tvsum')} fitted on each video alone: below the norm, "
        "so on TVSum the level-with-the-norm figure needs the test videos in the corpus. And the gain is not "
        "content specific to the category: read by the OTHER categories' "
        "held-out networks (mean decoded length of all ten or eighteen of them, so partly an ensemble; none "
        "saw the video) the videos score "
        f"{_contrast('other categories', 'youtube')} YouTube / {_contrast('other categories', 'tvsum')} TVSum, and "
        "the log-ratio of the own category's network to the others', which would single out what only this "
        f"category's network reconstructs, scores {_contrast('log(own', 'youtube')} YouTube / "
        f"{_contrast('log(own', 'tvsum')} TVSum (`python experiments/domains.py --contrast --seeds 0 1 2`). "
        "The per-category networks' decoded length behaves as a (denoised) magnitude, not as the cross-category "
        "contrast of item 10 (though on YouTube it holds a little the norm lacks: item 18). "
        "On TVSum the log-ratio is even far below random: what a category's network "
        "singles out against the other categories' networks marks non-highlights there, the opposite of the "
        "numpy contrast. We did not turn the inverted ratio into a method: its direction was seen on the test "
        "benchmark, and on YouTube, the selection set, it carries nothing either way.",
        "15. **The paper's TVSum figure is on another label reading** "
        "(`python experiments/rescore.py --dataset tvsum`; the table 'TVSum under the seed paper's label "
        "reading, and against the norm' above). Section IV-A of the paper averages "
        "the annotators' importance scores per segment and scores against that one label; UMT's code, used "
        "for every other figure here, thresholds each annotator separately and averages the 20 APs. Averaged "
        "labels are much less noisy, so every scorer rises: random " + _reading("baselines/random", "annotators")
        + " -> " + _reading("baselines/random", "mean") + ", the RGB norm " + _reading("baselines/norm", "annotators")
        + " -> " + _reading("baselines/norm", "mean") + ", Fig. 1's count " + _reading("baselines/distinct", "mean")
        + f". Under the paper's own reading the trivial norm already scores above the paper's {ev.PAPER['tvsum']:.3f}, "
        "so the gap between our tables and the paper's is mostly the label reading, and the real question stays "
        "the one our tables ask: does a method beat the norm? The two readings rank the re-scored rows almost "
        "alike (" + _reading_rank_agreement() + "). Pretrained on YouTube (the paper's protocol): 'paper' preset "
        + _reading("main/paper", "mean") + ", 'default' " + _reading("main/best", "mean")
        + ", s as decoded length, stride 1 "
        + _reading("magnitude_200steps/scale_s_s1_length", "mean") + ", the norm choosing Eq. (8)'s k points "
        "(round 8) " + _reading("teacher_200steps/teacher_sighted", "mean") + ", the same on 128-clip windows, the "
        "best 200-step pretrained row (round 10) " + _reading("inputs_200steps/window_128", "mean")
        + ", its networks with each video read whole (round 13, the shipped checkpoint's reading) "
        + _reading("readout_200steps/w128_whole", "mean") + ", trained 400 steps and read whole (round 16, the shipped "
        "row) " + _reading("readout_400steps/w128_whole", "mean") + ": all below the norm. One network per "
        "category, transductive: " + _reading("domains_200steps/scale_s_s1_l2_length", "mean")
        + ", above the norm and the paper's figure on average, but not surely: video by video it is "
        + _vs_norm("domains_200steps/scale_s_s1_l2_length", "mean") + " against the norm (difference, 95% "
        "interval over videos), so five videos per category cannot tell the two apart (per annotator it is "
        + _reading("domains_200steps/scale_s_s1_l2_length", "annotators") + ", "
        + _vs_norm("domains_200steps/scale_s_s1_l2_length", "annotators") + "). No row beats the norm with an "
        "interval above zero on either reading, not even the numpy contrast plus norm ("
        + _vs_norm("feature_analysis/contrast+norm", "mean") + " on the paper's reading, "
        + _vs_norm("feature_analysis/contrast+norm", "annotators") + " per annotator). Held out (each video "
        "scored by a network fitted on its category's other fold): " + _reading("domains_200steps/fit_heldout", "mean")
        + ", below the norm again; fitted on each video alone: " + _reading("fit/fit_preset", "mean")
        + ".",
        "16. **Does a trained row beat the norm beyond doubt? No.** Resampling the benchmark's videos within their "
        "categories (the tables 'TVSum under the seed paper's label reading, and against the norm' and 'YouTube "
        "Highlights against the norm'; difference to the norm, 95% interval over videos), the best trained rows "
        "are level with the norm at best: one network per category (transductive) "
        + _vs_norm("domains_200steps/scale_s_s1_l2_length", "annotators") + " TVSum per annotator, "
        + _vs_norm("domains_200steps/scale_s_s1_l2_length", "mean") + " on the paper's reading, "
        + _vs_norm("domains_200steps/scale_s_s1_l2_length", "umt", "youtube") + " YouTube; held out, level on "
        "YouTube (" + _vs_norm("domains_200steps/fit_heldout", "umt", "youtube") + ") and below on TVSum ("
        + _vs_norm("domains_200steps/fit_heldout", "annotators") + "). Under the paper's protocol "
        "(pretrained on YouTube, TVSum unseen) the rows are below it: 'default' "
        + _vs_norm("main/best", "annotators") + ", s as decoded length "
        + _vs_norm("magnitude_200steps/scale_s_s1_length", "annotators") + ", round 8's teacher "
        + _vs_norm("teacher_200steps/teacher_sighted", "annotators") + ", the best 200-step pretrained row (round 10) "
        + _vs_norm("inputs_200steps/window_128", "annotators") + ", read whole (round 13) "
        + _vs_norm("readout_200steps/w128_whole", "annotators") + ", trained 400 steps (round 16) "
        + _vs_norm("readout_400steps/w128_whole", "annotators") + " (TVSum per annotator); on YouTube, the "
        "corpus they were pretrained on without labels, the last four are level with it ("
        + _vs_norm("teacher_200steps/teacher_sighted", "umt", "youtube") + ", "
        + _vs_norm("inputs_200steps/window_128", "umt", "youtube") + " and "
        + _vs_norm("readout_200steps/w128_whole", "umt", "youtube") + " and "
        + _vs_norm("readout_400steps/w128_whole", "umt", "youtube") + "). The seed "
        "spreads in the main tables (about 0.01) understate the doubt: with five videos per TVSum category, a "
        "difference of a few hundredths is within what the choice of videos alone produces. The only intervals "
        "above zero in this report come from adding a score to the norm, or from a denoised norm (items 17 to 19), "
        "and from round 10's networks read in detect's overlapped grids on YouTube, the corpus they pretrained on "
        "(item 26).",
        _corpus_item(),
        _with_norm_item(),
        _self_training_item(),
        _av_agreement_item(),
        _teacher_item(),
        _weights_item(),
        _inputs_item(),
        _share_item(),
        _long_window_item(),
        _readout_item(),
        _fill_item(),
        _rewhole_item(),
        _longer_item(),
        _budget_item(),
        _distill_item(),
        _ensemble_item(),
        _blend_item(),
        _longest_item(),
        _longer_still_item(),
        _transductive_item(),
        _late_blend_item(),
        _prototype_item(),
        "",
    ]


def _with_norm_item() -> str:
    def vs(source: str, w: str, reading: str, ds: str) -> str:
        return _vs_norm(f"{source} | w={w}", reading, ds, f"with_norm_{ds}")

    heldout, trans, fit = "domains_200steps/fit_heldout", "domains_200steps/scale_s_s1_l2_length", "fit/fit_preset"
    return (
        "18. **Does s add anything to the norm? A little: on YouTube up to three hundredths, on TVSum a hundredth or "
        "two within the videos' noise** (the table 'Does "
        "s add anything to the norm?' in the main results; `python experiments/with_norm.py`). If s were only a "
        "blurred copy of magnitude (items 4, 9, 12), adding its rank to the norm's could only blur the norm. "
        "Pretrained on YouTube (the paper's protocol) s adds nothing: 'default' + norm "
        + vs("main/best", "0.5", "annotators", "tvsum") + " TVSum, " + vs("main/best", "0.5", "umt", "youtube")
        + " YouTube (w = 0.5). One network per YouTube domain does hold something the norm lacks: "
        + vs(trans, "0.5", "umt", "youtube") + " transductive and " + vs(heldout, "0.5", "umt", "youtube")
        + " held out, networks that never saw the scored videos (w = 0.5; w = 1: "
        + vs(trans, "1", "umt", "youtube") + " and " + vs(heldout, "1", "umt", "youtube") + "), the only "
        "label-free intervals above zero on YouTube in this report until round 13 (item 26: the round-10 networks "
        "read in detect's overlapped windows), small as they are. On TVSum the same rows are "
        "level with the norm at either weight (w = 1 here): per category "
        + vs(trans, "1", "annotators", "tvsum") + " transductive, "
        + vs(heldout, "1", "annotators", "tvsum") + " held out; fitted on each video alone (detect's default) "
        + vs(fit, "1", "annotators", "tvsum") + ". Two weights were tried, both fixed before any result. So "
        "RASL's per-domain activations are not a pure copy of magnitude where a domain's corpus is large (19 to "
        "67 videos per YouTube domain, 9 to 34 in a held-out network's fold; five per TVSum category, two or three "
        "per fold), but what they add is a hundredth or "
        "two, far from the targets." + _shipped_with_norm(vs)
    )


def _shipped_with_norm(vs: Callable[[str, str, str, str], str]) -> str:
    """Item 18's sentence on the shipped row (added in round 13), if with_norm.py has read it."""
    row = f"{R}/w128_whole"
    if f"{row} | w=0.5" not in load_group("with_norm_tvsum") or f"{row} | w=0.5" not in load_group("with_norm_youtube"):
        return ""

    def three(w: str, which: str = row) -> str:
        return (vs(which, w, "annotators", "tvsum") + " TVSum per annotator, " + vs(which, w, "mean", "tvsum")
                + " on the paper's reading, " + vs(which, w, "umt", "youtube") + " YouTube")

    return (" Added in round 13 (same two weights): round 10's networks, each video read whole (item 26; shipped "
            "from round 13 to round 16), "
            "pretrained on YouTube only: w = 0.5 " + three("0.5") + "; w = 1 " + three("1") + ". Of the rows "
            "pretrained under the paper's protocol it is the furthest above the norm on TVSum, by one to two "
            "hundredths per annotator and about four on the paper's reading (round 8's teacher_sighted at "
            "w = 0.5: " + vs(f"{T}/teacher_sighted", "0.5", "annotators", "tvsum") + " TVSum per annotator, "
            + vs(f"{T}/teacher_sighted", "0.5", "umt", "youtube") + " YouTube); the norm carries most of the score "
            "(at w = 0.5 s weighs half as much). s pretrained with the norm as teacher (item 21) is a denoised "
            "copy of the norm that adds to it a little, as item 19's prototype does."
            + _shipped_row_with_norm(vs, three))


def _shipped_row_with_norm(vs: Callable[[str, str, str, str], str], three: Callable[[str], str]) -> str:
    """The same for the 400-step row shipped since round 16, if with_norm.py has read it."""
    row = f"{L4}/w128_whole"
    if f"{row} | w=0.5" not in load_group("with_norm_tvsum") or f"{row} | w=0.5" not in load_group("with_norm_youtube"):
        return ""
    return (" The networks shipped since round 16 (the same configuration trained 400 steps, read whole): w = 0.5 "
            + three("0.5", row) + "; w = 1 " + three("1", row) + ": less on TVSum, more on YouTube, where at "
            "w = 0.5 the interval is clearly above zero, the furthest above the norm on YouTube of any row under the "
            "paper's protocol here.")


def _cs_range(family: str, reading: str) -> str:
    """Smallest to largest difference to the norm over a corpus_statistics family."""
    diffs = [r[reading]["vs_norm"]["diff"] for k, r in load_group("corpus_statistics").items()
             if k.startswith(f"{family} | ")]
    return f"{min(diffs):+.3f} to {max(diffs):+.3f}" if diffs else "n/a"


def _corpus_item() -> str:
    data = load_group("corpus_statistics")
    if "ceiling" not in data:
        return "17. Round 4 (`python experiments/corpus_statistics.py`): not run."
    ceiling, rand = data["ceiling"], load_group("baselines").get("random:tvsum")
    norm = load_group("baselines").get("norm:tvsum")
    share = (norm["mean"] - rand["mean"]) / (ceiling["all"] - rand["mean"]) if norm and rand else float("nan")
    clf = "category | log p(own category), direction (unit-length rho), weight decay 0.0001"
    both = "category | its rank + the norm's rank, direction (unit-length rho), weight decay 0.0001"
    raw = "category | its rank + the norm's rank, rho, weight decay 0.0001"
    return (
        "17. **What a corpus knows beyond magnitude: little, and only with the category** (round 4, "
        "`python experiments/corpus_statistics.py`; the table 'What does a corpus know beyond magnitude?' below; "
        "every variant run is listed). Corpus geometry (the norm after centring on the corpus mean, after "
        "whitening, without or with only the top principal components, each fitted on the benchmark's own videos "
        "or on the other benchmark) moves the figure by " + _cs_range("geometry", "tvsum") + " against the norm "
        "on TVSum per annotator and " + _cs_range("geometry", "youtube") + " on YouTube; the norm's local trend and "
        "rank sums with the other cues of item 1 by " + _cs_range("local", "tvsum") + " and "
        + _cs_range("local", "youtube") + ": no interval above zero on either benchmark or reading. "
        "One cue adds to the norm on TVSum: a linear classifier from a clip's direction to its "
        "video's category, trained on the other videos (held-out folds), read as log p(own category | clip) "
        "scores " + _cs(clf, "tvsum") + " alone and " + _cs(both, "tvsum") + " as a rank sum with the norm per "
        "annotator, " + _cs(both, "tvsum_mean") + " on the paper's reading, the one interval above zero in this "
        "round; but " + _cs(both, "youtube") + " on YouTube, where it adds nothing. The YouTube rule of this "
        "report would have picked the classifier on the raw rows instead (" + _cs(raw, "youtube") + " YouTube), "
        "which scores " + _cs(raw, "tvsum") + " TVSum per annotator and " + _cs(raw, "tvsum_mean") + " on the "
        "paper's reading: the direction variant is quoted because item 10 predicted it (content, not magnitude), "
        "and with twelve category rows screened, one interval above zero on one reading is weak evidence. "
        "It is item 10's cross-category contrast, learned; it reads a video-level tag (the category) and "
        "a corpus of other categories, so it is a weakly supervised reference, not the label-free method this "
        "issue asks for, and one row among the " + str(len(data) - 1) + " screened here. For scale, the "
        f"annotators' own ceiling: each TVSum annotator predicted by the mean of the other 19 scores "
        f"{ceiling['all']:.3f} per annotator on all 50 videos ({ceiling['val']:.3f} on UMT's 10 validation "
        f"videos). The RGB norm covers {share:.0%} of the way from random to that agreement. A score read from "
        "these 2 s I3D rows without labels has so far found only the magnitude part of it; the rest is what the "
        "annotators agree on about the content of each category, which no label-free statistic here recovers "
        "(item 19 finds one that reads the magnitude part a little more cleanly than the norm)."
    )


def _self_training_item() -> str:
    data = load_group("self_training")
    if "diagnostics" not in data:
        return "19. Round 6 (`python experiments/self_training.py`): not run."
    d = data["diagnostics"]
    proto = "prototype (top 20% minus bottom 20%)"

    def row(corpus: str, read: str, reading: str, teacher: str = proto) -> str:
        return _cs(f"{corpus} | {teacher} | {read}", reading, "self_training")

    def three(corpus: str, read: str) -> str:
        return (row(corpus, read, "tvsum") + " TVSum per annotator, " + row(corpus, read, "tvsum_mean")
                + " on the paper's reading, " + row(corpus, read, "youtube") + " YouTube")

    ridge = [k for k in data if "ridge" in k]
    ridge_diffs = [data[k]["tvsum"]["vs_norm"]["diff"] for k in ridge]
    def spread(corpus: str, ds: str) -> float:
        """How far the top fraction (10% to 50%) moves the prototype read alone on one corpus."""
        means = [r[ds]["mean"] for k, r in data.items() if k.startswith(f"{corpus} | prototype")
                 and k.endswith("alone")]
        return max(means) - min(means)

    spreads = [spread(c, ds) for c in ("benchmark", "other benchmark") for ds in ("tvsum", "youtube")]
    rows = [k for k in data if k != "diagnostics" and "sensitivity" not in k and not k.startswith("both")]
    pick = max(rows, key=lambda k: data[k]["youtube"]["mean"])
    return (
        "19. **Can the norm teach direction? It finds a cleaner magnitude, and no more** (round 6, self-training, "
        "`python experiments/self_training.py`; the table 'Can the norm teach direction?' below). Item 17's "
        "category classifier needs a tag. Here the norm is the teacher instead: a map from a clip's direction (unit "
        "length, so it cannot read magnitude) to its within-video norm rank, fitted on other videos and read on "
        "the scored one; it is also Eq. (8)'s top-k against bottom-k with the norm, not a collapsing s, choosing "
        "the k. Ridge maps (three lambdas, three corpora) move the figure by "
        f"{min(ridge_diffs):+.3f} to {max(ridge_diffs):+.3f} against the norm on TVSum per annotator. The "
        "parameter-free prototype (the mean direction of each video's top 20% norm clips minus that of its "
        "bottom 20%, the ridge map's large-lambda limit) is level with the norm or above it. Fitted on the other "
        "benchmark only (no tag, never the scored videos) it scores " + three("other benchmark", "alone") + ". "
        "Fitted on both benchmarks' other videos (added after the first results) it scores "
        + three("both benchmarks", "alone") + " alone and " + three("both benchmarks", "its rank + the norm's rank")
        + " as a rank sum with the norm. The top fraction hardly matters: from 10% to 50% (added after the first "
        f"results) it moves a corpus's figure by at most {max(spreads):.3f}. "
        "This report's rule (best YouTube row among those fixed before any result) picks '"
        + pick.replace(" | ", ", ") + "': " + _cs(pick, "tvsum", "self_training") + " TVSum per annotator. What "
        "the prototype is: fitted on TVSum and on YouTube the two point the same way (cosine "
        f"{d['cosine_between_benchmarks']:.2f}), and its score follows the norm within a video (mean correlation "
        f"{d['tvsum_corr_with_norm']:.2f} TVSum, {d['youtube_corr_with_norm']:.2f} YouTube). It is one direction of "
        "the I3D space along which large clips lie, read without the clip's length: a denoised magnitude, which "
        "generalises across the two benchmarks. It beats the norm by a hundredth or two, with intervals above "
        "zero only on the paper's reading. That is the norm done a little better, not the category content that "
        "item 17 finds the annotators agree on, and far from the targets."
    )


def _follows(name: str, ds: str, group: str = T) -> str:
    """Mean over seeds of the within-video Spearman correlation of s with the norm (teacher.py --follows)."""
    seeds = load_group("follows_norm").get(f"{group}/{name}", {}).get("seeds", {})
    return f"{np.mean([r[ds] for r in seeds.values()]):+.2f}" if seeds else "n/a"


def _shipped_meta() -> dict:
    path = ev.SHIPPED_CHECKPOINT.with_suffix(".json")
    return json.loads(path.read_text()).get("benchmark", {}) if path.is_file() else {}


def _shipped_mark(group: str, name: str) -> str:
    """', the shipped checkpoint is its seed N' when the shipped checkpoint's metadata names this row: the row
    that trained its network, or (since round 13) the row that says how that network is read."""
    b = _shipped_meta()
    if b.get("read_as") == f"{group}/{name}" or ((b.get("group"), b.get("variant")) == (group, name)
                                                 and not b.get("read_as")):
        return f"; the shipped checkpoint is its seed {b['seed']}"
    if (b.get("group"), b.get("variant")) == (group, name):
        return f"; its seed {b['seed']} is the shipped network, read as '{b['read_as']}' says"
    return ""


def _stayed(round_: int) -> str:
    """What a round that replaced nothing left shipped: the network shipped at the time, and what is shipped now."""
    then = ("round 10's window_128, seed 0" if round_ < 16 else _shipped())
    return then + ("" if round_ >= 16 else " (since round 16: " + _shipped() + ", item 29)")


def _shipped() -> str:
    """What the shipped checkpoint is and scored when trained (its metadata, written by experiments/ship.py)."""
    b = _shipped_meta()
    if not b:
        return "no shipped checkpoint"
    r = b["results_when_trained"]
    read = f" read as {b['read_as']} (" if b.get("read_as") else " ("
    return (f"seed {b['seed']} of {b['group']}/{b['variant']}{read}TVSum {r['tvsum']:.3f}, "
            f"YouTube {r['youtube']:.3f}, {b['dtype']})")


def _teacher_youtube_range() -> str:
    """The YouTube means (3 seeds each) of the rows that keep round 8's sighted teacher at every weight of Eq. (11)
    and are read plainly or whole (rounds 8, 10, 13, 16), as 'a-b'."""
    rows = [entry for g in (T, "teacher_400steps") for name, entry in load_group(g).items()
            if name.startswith("teacher_sighted")]
    rows += [entry for g, name in ((W, "all_w1"), (I, "window_128"), ("inputs_400steps", "window_128"),
                                   (R, "w128_whole"), (L4, "w128_whole")) if (entry := load_group(g).get(name))]
    means = [s["mean"] for entry in rows if len(entry["seeds"]) >= 3 and (s := summary(entry, "youtube"))]
    return f"{min(means):.3f}-{max(means):.3f}" if means else "n/a"


def _same_seeds(entry: dict, seeds: list[str]) -> dict:
    """``entry`` restricted to ``seeds``: two rows compared on the seeds both ran."""
    return {**entry, "seeds": {s: entry["seeds"][s] for s in seeds}}


def _fit_teacher_sentence() -> str:
    """Round 8's teacher in the product's folder fit (domains.py fit_teacher), against the 'fit' preset on the
    same seeds; empty until it has run."""
    entry = load_group(D).get("fit_teacher")
    base = load_group(D).get("scale_s_s1_l2_length")
    if not entry or not base:
        return ""
    seeds = sorted(s for s in entry["seeds"] if s in base["seeds"])
    taught = {ds: summary(entry, ds) for ds in DATASETS}
    plain = {ds: summary(_same_seeds(base, seeds), ds) for ds in DATASETS}
    better = all(taught[ds]["mean"] > plain[ds]["mean"] for ds in DATASETS)
    return ("In the product's setting, one network fitted per category with the 'fit' preset (transductive; "
            "`python experiments/domains.py --only fit_teacher`, added after these results), the teacher scores "
            + cell(taught["tvsum"]) + " TVSum / " + cell(taught["youtube"]) + " YouTube against "
            + cell(plain["tvsum"]) + " / " + cell(plain["youtube"]) + " for the 'fit' preset on the same seeds: "
            + ("higher on both, a candidate for detect's fit once more seeds confirm it. " if better else
               "not higher on both, so detect's fit keeps the 'fit' preset. "))


def _teacher_item() -> str:
    rows = load_group(T)
    if "teacher_sighted" not in rows:
        return "21. Round 8 (`python experiments/teacher.py`): not run."
    proto = load_group("self_training").get("diagnostics", {}).get("tvsum_corr_with_norm")

    def two(name: str, group: str = T) -> str:
        return _group(group, name, "tvsum") + " TVSum / " + _group(group, name, "youtube") + " YouTube"

    def wn(name: str, ds: str) -> str:
        reading = "annotators" if ds == "tvsum" else "umt"
        return _vs_norm(f"{T}/{name} | w=0.5", reading, ds, f"with_norm_{ds}")

    return (
        "21. **Can the norm choose Eq. (8)'s k points? It makes s a closer copy of the norm, and the best 200-step "
        "network pretrained on one corpus here until round 10 (item 23), but not a detector beyond the norm** "
        "(round 8, `python experiments/teacher.py`; the table 'Research screening: teacher_200steps' below; config "
        "`kpoint_select='norm'`). Item 2's collapse comes from s choosing its own top and bottom k; item 19's "
        "prototype is Eq. (8)'s top-k against bottom-k with the norm choosing them, in numpy. Here the network does "
        "it: Phi_k and Pi_k are the 10 steps of largest and smallest |rho| in a 64-clip window (rho the whole "
        "visual row, RGB and flow, whose norm as a baseline scores " + _fa("rgb+flow | L2 norm (magnitude)", "tvsum")
        + " TVSum / " + _fa("rgb+flow | L2 norm (magnitude)", "youtube") + " YouTube against the RGB norm's "
        + _fa("rgb | L2 norm (magnitude)", "tvsum") + " / " + _fa("rgb | L2 norm (magnitude)", "youtube") + "), "
        "s_hat is s there, so Eq. (8) raises s where the input is large; softmax s, one s per clip, read before "
        "the softmax (`score_output='raw'`), since a softmax makes every window average 1 (the same networks read "
        "as the softmax, added after a review: " + two("teacher_sighted_softmax") + "); pretrained on YouTube, "
        "TVSum unseen. Three variants and "
        "the rule were fixed before any result. Blind (the encoder sees rho/|rho|, so s must learn which content "
        "comes with magnitude): " + two("teacher_blind") + ", against " + two("self_blind") + " for the same "
        "network with the paper's selection: the teacher helps by the rule, and it does teach (s follows the norm "
        "within a video at a mean Spearman correlation of " + _follows("teacher_blind", "tvsum") + " TVSum, "
        "against " + _follows("self_blind", "tvsum") + " for the control and " + _follows("best", "tvsum", "main")
        + " for the 'default' preset), but blind s stays at random on TVSum: what the network learns of "
        "'content that comes with magnitude' is not item 19's single direction"
        + (f" (the prototype follows the norm at a Pearson correlation of {proto:+.2f})" if proto is not None
           else "") + ". Sighted (the "
        "encoder sees magnitudes): " + two("teacher_sighted") + ", s following the norm at "
        + _follows("teacher_sighted", "tvsum") + " TVSum, " + _follows("teacher_sighted", "youtube") + " YouTube. "
        "That was the best 200-step network pretrained on one corpus in this report on both benchmarks until "
        "round 10 (the "
        "'default' preset: "
        + two("best", "main") + "; s as the decoded length, the best before: " + two("scale_s_s1_length", M) + "), "
        "and the first whose mean is above the norm on YouTube, the corpus it saw without labels, though within "
        "the videos' noise (" + _vs_norm(f"{T}/teacher_sighted", "umt", "youtube") + "); it is still below the "
        "norm on TVSum per annotator ("
        + _vs_norm(f"{T}/teacher_sighted", "annotators") + ") and on the paper's reading ("
        + _vs_norm(f"{T}/teacher_sighted", "mean") + "). Without the contrast (eta = the mean s at the norm's top "
        "k, the paper's 'w/o k-point contrast'; added after the first results) it scores "
        + two("teacher_sighted_mean") + ": the teacher's choice of points does most of the work; Eq. (8)'s contrast "
        "between them adds at most a hundredth on YouTube, within the seed spread, and nothing on TVSum. Two "
        "screens, also added after the first results: at the paper's lr 1e-3 it falls apart ("
        + two("teacher_sighted_lr1e-3") + "); trained twice as long it gains on the corpus it was pretrained on and "
        "not on the unseen one (" + two("teacher_sighted", "teacher_400steps") + "; YouTube against the norm "
        + _vs_norm("teacher_400steps/teacher_sighted", "umt", "youtube") + "; seeds 1 and 2 were run when seed 0 "
        "scored above its 200-step run on both). "
        + _fit_teacher_sentence() +
        "Added to the norm (rank sum, w = 0.5, item 18) the 200-step networks are level with it: "
        + wn("teacher_sighted", "tvsum")
        + " TVSum per annotator, " + wn("teacher_sighted", "youtube") + " YouTube. By the rule fixed before the "
        "results (a preset only if it also beat the norm on both benchmarks) no preset changed. The issue asks to "
        "ship the best benchmark checkpoint; by this report's choice rule (best YouTube, confirmed on TVSum) the "
        "200-step row beats every earlier pretrained row on both benchmarks, while the 400-step screen is higher "
        "on YouTube only, the corpus it trained on, and is not confirmed on TVSum; so its seed 0 was shipped (the "
        "'default' preset's seed 0 before), until round 10 replaced it (item 23). So a "
        "teacher outside s cures the collapse in the sense that s learns what it is shown, and what it is shown "
        "here is the norm: the network ends a blurred norm on TVSum and a slightly sharpened one on YouTube."
    )


def _seed_diffs(row: dict, ref: dict, ds: str) -> list[float]:
    """Per seed, a row's figure minus a reference's, on the seeds both ran (same seed, same windows drawn)."""
    seeds = sorted(set(row["seeds"]) & set(ref["seeds"]))
    return [row["seeds"][k][ds]["mean"] - ref["seeds"][k][ds]["mean"] for k in seeds]


def _mean_diff(row: dict, ref: dict, ds: str) -> float:
    return float(np.mean(_seed_diffs(row, ref, ds)))


def _signed(x: float) -> str:
    return f"{round(x, 3) + 0.0:+.3f}"  # + 0.0: no "-0.000"


def _against(group: str, name: str, refs: tuple[dict, ...]) -> str:
    """A row's figures, each followed by its mean per-seed difference to each reference."""
    row = load_group(group)[name]
    return " / ".join(_group(group, name, ds) + f" {label} ("
                      + ", ".join(_signed(_mean_diff(row, r, ds)) for r in refs) + ")"
                      for ds, label in (("tvsum", "TVSum"), ("youtube", "YouTube")))


def _inputs_item() -> str:
    rows, taught, main = load_group(I), load_group(W).get("all_w1"), load_group("main").get("best")
    names = ("window_32", "window_128", "window_64_k5", "default_rerun", "norm_l2", "norm_standardize")
    if taught is None or main is None or any(n not in rows for n in names):
        return "23. Round 10 (`python experiments/inputs.py`): not run (or not all its rows)."
    plain = rows["default_rerun"]

    def delta(name: str, ref: dict, ds: str) -> float:
        return _mean_diff(rows[name], ref, ds)

    def verdict(name: str) -> str:
        """How a window row stands against the reference on each benchmark, against the 0.01 seed spread."""
        def one(d: float) -> str:
            return "above, beyond the spread" if d > 0.01 else "below, beyond it" if d < -0.01 else "within the spread"

        return "; ".join(f"{label} {one(delta(name, taught, ds))}" for ds, label in (("tvsum", "TVSum"),
                                                                                  ("youtube", "YouTube")))

    def per_seed(name: str, ds: str) -> str:
        return ", ".join(_signed(x) for x in _seed_diffs(rows[name], taught, ds))

    refs = {"window_32": taught, "window_128": taught, "norm_l2": plain, "norm_standardize": plain}
    limiting = [n for n, r in refs.items() if any(abs(delta(n, r, ds)) > 0.01 for ds in DATASETS)]
    better = [n for n, r in refs.items() if all(delta(n, r, ds) > 0 for ds in DATASETS)]
    k5 = {ds: delta("window_64_k5", taught, ds) for ds in DATASETS}
    w128 = {ds: delta("window_128", taught, ds) for ds in DATASETS}
    shipped = _shipped_meta()
    ships = bool(shipped)  # round 10 shipped window_128's seed 0 (replaced since, item 29)
    t400 = load_group("teacher_400steps").get("teacher_sighted")
    return (
        "23. **Do the window or the input normalisation limit it? Normalising the input does, badly; a longer "
        "window helps a little** (round 10, `python experiments/inputs.py`; the table "
        "'Research screening: inputs_200steps' below). Issue #6's last named suspects with fewer than three seeds: "
        "the window (item 6: one seed at 128 clips) and the input normalisation (never run; the prototype notes "
        "found standardising hurt). Five variants and the rule fixed before any result (a factor limits the "
        "method if a row moves a benchmark by more than 0.01 against its reference; a setting replaces a shipped "
        "one only if it beats its reference on both benchmarks), each against a reference run in this session on "
        "the same machine (item 22); each figure is followed by its mean difference to the reference on the same "
        "seeds. On the shipped configuration of round 8 (reference: item 22's re-run at 64 clips, "
        + _group(W, "all_w1", "tvsum") + " TVSum / " + _group(W, "all_w1", "youtube") + " YouTube): windows of "
        "32 clips " + _against(I, "window_32", (taught,)) + ": " + verdict("window_32") + "; of 128 clips "
        + _against(I, "window_128", (taught,)) + ": " + verdict("window_128") + " (per seed TVSum "
        + per_seed("window_128", "tvsum") + ", YouTube " + per_seed("window_128", "youtube") + "). k stays 10 "
        "whatever the window, so 128 clips also halve the share of steps the teacher marks; at 64 clips with "
        "k = 5, the same share (added after the first results, so not eligible by the rule): "
        + _against(I, "window_64_k5", (taught,)) + ": it matches window_128 on YouTube (" + _signed(k5["youtube"])
        + " against " + _signed(w128["youtube"]) + ", both within the spread) and gives "
        + f"{k5['tvsum'] / w128['tvsum']:.0%}" + " of its TVSum gain (" + _signed(k5["tvsum"]) + " against "
        + _signed(w128["tvsum"]) + "). On the 'default' preset (the teacher ranks steps by the magnitude a "
        "normalisation removes, so it cannot take one; reference: the preset re-run here, "
        + _group(I, "default_rerun", "tvsum") + " TVSum / " + _group(I, "default_rerun", "youtube")
        + " YouTube): unit-length steps " + _against(I, "norm_l2", (plain,)) + "; channels standardised over the "
        "window " + _against(I, "norm_standardize", (plain,)) + ": removing the magnitude removes the one signal "
        "these features carry (item 1), so the 'none' every preset uses is right. By the rule "
        + (", ".join(limiting) or "nothing") + " moved the numbers, and " + (", ".join(better) or "nothing")
        + " beat its reference on both benchmarks"
        + ((", so round 10 shipped its seed 0 (TVSum 0.529, YouTube 0.585; seed 0 whatever its score, by the "
            "report's rule; since round 16 the shipped checkpoint is " + _shipped() + "). ") if ships else ". ")
        + "window_128 is the best 200-step network pretrained on one corpus here and the best pretrained row on "
        "TVSum" + (" (teacher_sighted trained 400 steps is higher on YouTube only: " + _group("teacher_400steps",
                   "teacher_sighted", "youtube") + " YouTube, " + _group("teacher_400steps", "teacher_sighted",
                   "tvsum") + " TVSum)" if t400 else "") + "; it is still below the norm on TVSum ("
        + _vs_norm(f"{I}/window_128", "annotators") + " per annotator, " + _vs_norm(f"{I}/window_128", "mean")
        + " on the paper's reading) and level with it on YouTube (" + _vs_norm(f"{I}/window_128", "umt", "youtube")
        + "). One more thing this round found: the 'default' preset re-run scores below its stored row (main/best, "
        + _group("main", "best", "tvsum") + " TVSum / " + _group("main", "best", "youtube") + " YouTube) by "
        + _signed(_mean_diff(plain, main, "tvsum")) + " / " + _signed(_mean_diff(plain, main, "youtube"))
        + " on the same seeds (up to " + f"{max(abs(x) for x in _seed_diffs(plain, main, 'tvsum')):.3f}"
        + " TVSum on one seed). The code that trained main/best, run on this machine, gives this machine's "
        "figure to the last digit on seed 0 (experiments/inputs.py says how it was checked), with the same "
        "features (same data fingerprint) and the same torch build, so the difference is the machine (most "
        "likely its CPU kernels), not the code. Rows of one results group ran on one machine and compare "
        "cleanly; rows of different sessions carry this extra doubt, a few hundredths for the 'default' preset."
    )


def _share_item() -> str:
    rows = load_group(I)
    names = ("window_128", "window_128_k20", "window_128_k5", "window_64_k5")
    taught = load_group(W).get("all_w1")
    if taught is None or any(n not in rows for n in names):
        return "24. Round 11 (`python experiments/inputs.py --only window_128_k20 window_128_k5`): not run."
    shipped = rows["window_128"]

    def gain(name: str) -> str:
        return (_signed(_mean_diff(rows[name], taught, "tvsum")) + " TVSum / "
                + _signed(_mean_diff(rows[name], taught, "youtube")) + " YouTube")

    better = [n for n in ("window_128_k20", "window_128_k5")
              if all(_mean_diff(rows[n], shipped, ds) > 0 for ds in DATASETS)]
    b = _shipped_meta()
    return (
        "24. **Window or share? (round 11, fixed before its results)** Item 23 left open whether 128-clip windows "
        "help by their length or by halving the share of steps the teacher marks (k stays 10). On window_128 (the "
        "shipped configuration, " + _group(I, "window_128", "tvsum") + " TVSum / " + _group(I, "window_128", "youtube")
        + " YouTube), k = 20 keeps round 8's share (16%) and k = 5 halves it again (4%); the rule: a row replaces "
        "the shipped one only if it beats window_128 on both benchmarks (same seeds, same machine). Each figure is "
        "followed by its mean difference to window_128 and to item 22's 64-clip reference: k = 20 "
        + _against(I, "window_128_k20", (shipped, taught)) + "; k = 5 "
        + _against(I, "window_128_k5", (shipped, taught)) + ". For comparison, k = 5 at 64 clips (item 23): "
        + _against(I, "window_64_k5", (shipped, taught)) + ". "
        + ("By the rule " + ", ".join(better) + " beats window_128 on both, so the shipped checkpoint is now "
           + _shipped() + "." if better else "By the rule nothing replaces window_128"
           + ("; the shipped network stayed " + _stayed(11) + "." if b else "."))
        + " Against the 64-clip reference the four cells read: the longer window alone (k = 20) "
        + gain("window_128_k20") + ", the smaller share alone (k = 5 at 64 clips) " + gain("window_64_k5")
        + ", both (window_128) " + gain("window_128") + ", the share halved again (k = 5 at 128 clips) "
        + gain("window_128_k5") + ": on YouTube the smaller share is what helps, on TVSum each of the two gives part "
        "of the gain and only together the whole, and a still smaller share adds nothing. Effects of a hundredth, "
        "at the size of the seed spread: the window and the share tune the copy of the norm, they do not change "
        "what it is."
    )


def _long_window_item() -> str:
    rows, taught = load_group(I), load_group(W).get("all_w1")
    if taught is None or any(n not in rows for n in ("window_128", "window_256_k20")):
        return "25. Round 12 (`python experiments/inputs.py --only window_256_k20`): not run."
    shipped = rows["window_128"]
    beats = all(_mean_diff(rows["window_256_k20"], shipped, ds) > 0 for ds in DATASETS)

    def lengths(ds: str) -> str:
        n = np.array([v.n_steps for v in videos(ds)])
        return (f"median {np.median(n):.0f} clips, {np.mean(n < 128):.0%} shorter than 128 and "
                f"{np.mean(n < 256):.0%} shorter than 256")

    return (
        "25. **Does the window keep helping? (round 12, fixed before its results)** 256-clip windows with k = 20 "
        "(window_128's share of marked steps, 8%), against window_128 and item 22's 64-clip reference: "
        + _against(I, "window_256_k20", (shipped, taught)) + ". The rule (replace the shipped row only if it "
        "beats window_128 on both benchmarks): " + ("it does, so the shipped checkpoint is now " + _shipped()
                                                    if beats else "it does not; the shipped network stayed "
                                                    + _stayed(12)) + ". "
        "What a window is on these benchmarks: YouTube videos have " + lengths("youtube") + " (TVSum: "
        + lengths("tvsum") + "), and a video shorter than the window is repeated to fill it, in training and in "
        "scoring; so beyond 64 clips a longer window mostly repeats the short YouTube videos the network pretrains "
        "on, and changes how the teacher's k points and the softmax spread over them, more than it adds context."
    )


def _readout_item() -> str:
    rows, ref128, ref64 = load_group(R), load_group(I).get("window_128"), load_group(W).get("all_w1")
    names = ("w128_read64", "w128_read256", "w128_whole", "w128_overlap", "w64_read128", "w64_whole")
    if ref128 is None or ref64 is None or any(n not in rows for n in names):
        return "26. Round 13 (`python experiments/readout.py`): not run."

    def d(name: str, ds: str) -> str:
        return _signed(_mean_diff(rows[name], ref128 if name.startswith("w128") else ref64, ds))

    def per_seed(name: str, ds: str) -> str:
        return ", ".join(_signed(x) for x in _seed_diffs(rows[name], ref128, ds))

    better = [n for n in names if n.startswith("w128") and all(_mean_diff(rows[n], ref128, ds) > 0 for ds in DATASETS)]
    # the rule did not say how to choose between two readings that both pass it: the one ahead of every other
    # passing reading on both benchmarks, if there is one
    ahead = [n for n in better if all(_mean_diff(rows[n], rows[m], ds) > 0 for m in better if m != n
                                      for ds in DATASETS)]
    b = _shipped_meta()
    ships = b.get("read") == "whole"
    return (
        "26. **How the networks are read (round 13, no training, fixed before its results)** Item 23's window gain "
        "came with two changes at once, the windows the network pretrains on and the windows it is read in, and "
        "how a window is read matters beyond its length: the benchmark reads as the paper does (plain windows, a "
        "shorter video or remainder repeated to fill one, each step from its first occurrence), and s is read "
        "before its softmax, whose offset nothing ties between windows. `python experiments/readout.py` reads the "
        "stored networks again (they reproduce their stored figures to the last digit on this machine), so each "
        "row differs from its reference in the reading alone; six readings and the rule (a reading replaces the "
        "paper's plain reading of the shipped checkpoint only if it beats it on both benchmarks, same three "
        "networks) were fixed before any result. Each figure is followed by its mean per-seed difference to the "
        "same networks read plainly. window_128's networks (" + _group(I, "window_128", "tvsum") + " TVSum / "
        + _group(I, "window_128", "youtube") + " YouTube read in 128-clip windows): in 64-clip windows "
        + _against(R, "w128_read64", (ref128,)) + "; in 256-clip windows " + _against(R, "w128_read256", (ref128,))
        + "; each video whole, in one window of its own length (nothing cut, nothing repeated) "
        + _against(R, "w128_whole", (ref128,)) + "; in two 128-clip grids half a window apart (how `highlit "
        "detect` reads raw video) " + _against(R, "w128_overlap", (ref128,)) + ". The 64-clip networks (item 22's "
        "all_w1, " + _group(W, "all_w1", "tvsum") + " TVSum / " + _group(W, "all_w1", "youtube") + " YouTube): in "
        "128-clip windows " + _against(R, "w64_read128", (ref64,)) + "; each video whole "
        + _against(R, "w64_whole", (ref64,)) + ". So item 23's gain is the pretraining's, not the reading's: read "
        "in 128-clip windows the 64-clip networks move by " + d("w64_read128", "tvsum") + " TVSum / "
        + d("w64_read128", "youtube") + " YouTube, and the 128-clip networks lose TVSum when read in shorter windows "
        "than they pretrained on (" + d("w128_read64", "tvsum") + "). Reading each video whole helps YouTube with "
        "both families (" + d("w128_whole", "youtube") + ", " + d("w64_whole", "youtube") + "; most YouTube videos "
        "are shorter than a window, and the plain reading repeats them), TVSum not reliably ("
        + d("w128_whole", "tvsum") + ", " + d("w64_whole", "tvsum") + "); detect's overlapped grids give YouTube "
        "its largest move (" + d("w128_overlap", "youtube") + ") and lose TVSum (" + d("w128_overlap", "tvsum")
        + "); read that way the networks are above the norm on YouTube, the corpus they pretrained on without "
        "labels, video by video " + _vs_norm(f"{R}/w128_overlap", "umt", "youtube") + " (below it on TVSum, "
        + _vs_norm(f"{R}/w128_overlap", "annotators") + "). By the rule "
        + (" and ".join(better) + " beat" + ("s" if len(better) == 1 else "") + " the plain reading on both "
           "benchmarks" if better else "no reading beats the plain one on both")
        + ("; the rule did not say how to choose between two, and " + ahead[0] + " is ahead of the other on both "
           "as well" if len(better) > 1 and ahead else "")
        + "".join(f" ({n} only by a margin below 0.002 on "
                  + " and ".join(label for ds, label in (("tvsum", "TVSum"), ("youtube", "YouTube"))
                                 if _mean_diff(rows[n], ref128, ds) < 0.002) + ": level, passing a rule that set no "
                  "margin)" for n in better if any(_mean_diff(rows[n], ref128, ds) < 0.002 for ds in DATASETS))
        + (", so since 2026-11-29 the shipped checkpoint is read whole, through its metadata's `read` "
           "(`highlit evaluate --read` chooses another; the shipped checkpoint is now " + _shipped() + "). Round "
           "10's networks read whole, against the norm video by video: "
           + _vs_norm(f"{R}/w128_whole", "annotators") + " TVSum per annotator, "
           + _vs_norm(f"{R}/w128_whole", "mean") + " on the paper's reading (" + _reading(f"{R}/w128_whole", "mean")
           + ", the paper's 0.783), " + _vs_norm(f"{R}/w128_whole", "umt", "youtube") + " YouTube. Seed by seed the "
           "gain is TVSum " + per_seed("w128_whole", "tvsum") + ", YouTube " + per_seed("w128_whole", "youtube")
           + ": within the seed spread, a better reading of the same copy of the norm, not a new detector."
           if ships else ".")
    )


def _fill_item() -> str:
    rows, reads = load_group(I), load_group(R)
    if "fill_none" not in rows or "fill_none_whole" not in reads or "w128_whole" not in reads:
        return ("27. Round 14 (`python experiments/inputs.py --only fill_none && python experiments/readout.py "
                "--only fill_none_whole`): not run.")
    plain, whole, row = rows["window_128"], reads["w128_whole"], reads["fill_none_whole"]
    beats = all(_mean_diff(row, whole, ds) > 0 for ds in DATASETS)
    window = int(rows["fill_none"]["window"])

    def per_seed(ds: str) -> str:
        return ", ".join(_signed(x) for x in _seed_diffs(row, whole, ds))

    def how(ds: str) -> str:
        d, lower = _mean_diff(row, whole, ds), sum(x < 0 for x in _seed_diffs(row, whole, ds))
        word = "level" if abs(d) < 0.005 else ("higher" if d > 0 else "lower")
        return f"{word} ({_signed(d)} read whole, lower on {lower} of {len(_seed_diffs(row, whole, ds))} seeds)"

    n = np.array([v.n_steps for v in videos("youtube")])
    per_video = np.array([windows_per_video(int(k), window) for k in n])
    mean_window = float(np.sum(np.minimum(n, window) * per_video) / np.sum(per_video))
    return (
        "27. **Does repeating short videos in pretraining matter? (round 14, fixed before its results)** Item 26 "
        "reads each video whole, nothing repeated, while the network pretrains on windows in which a short video is "
        f"repeated to fill {window} clips, the paper's rule ({np.mean(n < window):.0%} of the YouTube videos are "
        f"shorter than {window} clips). Config `fill='none'` (`highlit pretrain --fill none`; not in the paper) "
        "trains on each short video once, as its own shorter window, and cuts a window of a longer video that would "
        "wrap round its end into two there; batches group windows by length, and each loss term is the mean over "
        "the windows that have it. On window_128's configuration, 3 seeds, against window_128 (the same seeds, same "
        "machine): read in plain 128-clip windows " + _against(I, "fill_none", (plain,)) + "; each video read "
        "whole, against w128_whole " + _against(R, "fill_none_whole", (whole,)) + " (per seed TVSum "
        + per_seed("tvsum") + ", YouTube " + per_seed("youtube") + "). The rule (replace the shipped network only "
        "if, read whole, it beats w128_whole on both benchmarks): " + (
            "it does, so the shipped checkpoint is now " + _shipped() if beats else
            "it does not; the shipped network stayed " + _stayed(14)) + ". "
        "Without repeats YouTube, whose videos the network now pretrains on as they are read, is " + how("youtube")
        + ", and TVSum is " + how("tvsum") + ". " + (
            "That TVSum falls is consistent with item 23's longer windows helping TVSum through the length of the "
            "sequences the network pretrains on (TVSum videos, median "
            f"{np.median([v.n_steps for v in videos('tvsum')]):.0f} clips, are read in one window about as long), "
            "but this round does not separate that from" if _mean_diff(row, whole, "tvsum") < 0 else
            "This round does not separate the repeats from") + " what else changes without repeats: a window holds "
        f"{mean_window:.0f} clips on average instead of {window}, so the same 200 steps pass fewer clip steps "
        "through the network; Eq. (8) takes min(10, L / 2) points on a short window; and every window weighs the "
        "same in a batch whatever its length."
    )


def _rewhole_item() -> str:
    reads = load_group(R)
    names = {"k20_whole": "k = 20 (round 11)", "k5_whole": "k = 5 (round 11)",
             "w256_whole": "256-clip windows, k = 20 (round 12)"}
    if "w128_whole" not in reads or any(n not in reads for n in names):
        return "28. Round 15 (`python experiments/readout.py --only k20_whole k5_whole w256_whole`): not run."
    whole = reads["w128_whole"]
    better = [n for n in names if all(_mean_diff(reads[n], whole, ds) > 0 for ds in DATASETS)]
    plain = load_group(I)
    k_moves = max(abs(_mean_diff(reads[n], plain[src], ds)) for n, src in
                  (("k20_whole", "window_128_k20"), ("k5_whole", "window_128_k5")) for ds in DATASETS)
    return (
        "28. **Read whole, do rounds 11 and 12 still lose? (round 15, no training, fixed before its results)** "
        "Rounds 11 and 12 compared their rows with window_128 read in plain windows; round 13 then changed the "
        "reading. Their networks read whole, each figure followed by its mean per-seed difference to w128_whole ("
        + _group(R, "w128_whole", "tvsum") + " TVSum / " + _group(R, "w128_whole", "youtube") + " YouTube): "
        + "; ".join(f"{label} " + _against(R, n, (whole,)) for n, label in names.items()) + ". The rule (one "
        "replaces the shipped network only if it beats w128_whole on both benchmarks): "
        + (", ".join(better) + " does" if better else "none does; the shipped network stayed " + _stayed(15))
        + ". Reading whole lifts the 256-clip networks on YouTube (" + _group(I, "window_256_k20", "youtube")
        + " read in plain windows), where their windows were mostly repeats, and moves the k rows by at most "
        + f"{k_moves:.3f} against their plain reading."
    )


def _longer_item() -> str:
    long_rows, reads = load_group("inputs_400steps"), load_group(L4)
    if "window_128" not in long_rows or "w128_whole" not in reads or len(reads["w128_whole"]["seeds"]) < 3:
        return ("29. Round 16 (`python experiments/inputs.py --only window_128 --steps 400 && python "
                "experiments/readout.py --only w128_whole --steps 400`): not run.")
    whole, row = load_group(R)["w128_whole"], reads["w128_whole"]
    beats = all(_mean_diff(row, whole, ds) > 0 for ds in DATASETS)
    ships = _shipped_meta().get("read_as") == f"{L4}/w128_whole"
    t200, t400 = load_group(T).get("teacher_sighted"), load_group("teacher_400steps").get("teacher_sighted")

    def per_seed(ds: str) -> str:
        return ", ".join(_signed(x) for x in _seed_diffs(row, whole, ds))

    def spread(entry: dict, ds: str) -> str:
        return f"± {summary(entry, ds)['std']:.3f}"

    def seed0(entry: dict, ds: str) -> float:
        return entry["seeds"]["0"][ds]["mean"]

    return (
        "29. **Does window_128 gain from longer pretraining? (round 16, fixed before its results)** Round 8 trained "
        "teacher_sighted 400 steps at 64 clips: YouTube " + _signed(_mean_diff(t400, t200, "youtube")) + ", TVSum "
        + _signed(_mean_diff(t400, t200, "tvsum")) + " against 200 steps. window_128 trained 400 steps "
        "(`python experiments/inputs.py --only window_128 --steps 400`), 3 seeds: read in plain windows "
        + _group("inputs_400steps", "window_128", "tvsum") + " TVSum / " + _group("inputs_400steps", "window_128",
                                                                                 "youtube")
        + " YouTube; read whole " + _group("readout_400steps", "w128_whole", "tvsum") + " / "
        + _group("readout_400steps", "w128_whole", "youtube") + ", against the 200-step w128_whole "
        + _signed(_mean_diff(row, whole, "tvsum")) + " TVSum / " + _signed(_mean_diff(row, whole, "youtube"))
        + " YouTube (per seed TVSum " + per_seed("tvsum") + ", YouTube " + per_seed("youtube") + "). The rule "
        "(it replaces the shipped network only if, read whole, it beats the 200-step w128_whole on both "
        "benchmarks): " + ("it does" if beats else "it does not") + (
            ", so the shipped checkpoint is now " + _shipped() if ships else
            ("; the shipped checkpoint stays " + _shipped() if not beats else
             " (the checkpoint is not re-shipped yet: `python experiments/ship.py`)")) + ". "
        "The margins are smaller than the per-seed differences, which go both ways on both benchmarks (the TVSum "
        "gain is one seed's); the spread between seeds is smaller on TVSum (" + spread(row, "tvsum") + " against "
        + spread(whole, "tvsum") + "), not on YouTube (" + spread(row, "youtube") + " against "
        + spread(whole, "youtube") + "). The shipped file is seed 0 whatever its score: against the 200-step "
        "seed 0 read whole it is " + _signed(seed0(row, "tvsum") - seed0(whole, "tvsum")) + " TVSum / "
        + _signed(seed0(row, "youtube") - seed0(whole, "youtube")) + " YouTube. On the paper's TVSum "
        "reading, which the rule does not use, it is " + _reading(f"{L4}/w128_whole", "mean") + " against the "
        "200-step row's " + _reading(f"{R}/w128_whole", "mean") + ". Against the norm, video by video: "
        + _vs_norm(f"{L4}/w128_whole", "annotators") + " TVSum per annotator, " + _vs_norm(f"{L4}/w128_whole", "mean")
        + " on the paper's reading, " + _vs_norm(f"{L4}/w128_whole", "umt", "youtube") + " YouTube."
    )


def _budget_item() -> str:
    row = load_group("readout_430steps").get("fill_none_whole")
    whole, short = load_group(R).get("w128_whole"), load_group(R).get("fill_none_whole")
    shipped_row = load_group(L4).get("w128_whole")
    if not row or len(row["seeds"]) < 3 or not whole or not short or not shipped_row:
        return ("30. Round 17 (`python experiments/inputs.py --only fill_none --steps 430 && python "
                "experiments/readout.py --only fill_none_whole --steps 430`): not run.")
    gap = _mean_diff(row, whole, "tvsum")
    spread = summary(whole, "tvsum")["std"]
    beats = all(_mean_diff(row, shipped_row, ds) > 0 for ds in DATASETS)
    return (
        "30. **Is round 14's TVSum loss the clip budget? (round 17, fixed before its results)** Without repeats a "
        "window holds 59 clips on average against 128 (item 27), so round 14's 200 steps passed 46% of the clip "
        "steps of window_128's. fill_none trained 430 steps, the same clip budget, 3 seeds, read whole: "
        + _group("readout_430steps", "fill_none_whole", "tvsum") + " TVSum / "
        + _group("readout_430steps", "fill_none_whole", "youtube") + " YouTube, against the 200-step w128_whole "
        + _signed(gap) + " / " + _signed(_mean_diff(row, whole, "youtube")) + " and against round 14's 200-step "
        "fill_none " + _signed(_mean_diff(row, short, "tvsum")) + " / " + _signed(_mean_diff(row, short, "youtube"))
        + ". The reading fixed before the results: " + (
            "it reaches w128_whole on TVSum within its seed spread (" + f"{spread:.3f}" + "), so the budget, not the "
            "repeats, explains round 14's TVSum loss" if gap >= -spread else
            "it stays below w128_whole on TVSum by more than its seed spread (" + f"{spread:.3f}" + "), so the "
            "repeats (or the window length they give) matter, not only the budget") + " (per seed against "
        "w128_whole, TVSum " + ", ".join(_signed(x) for x in _seed_diffs(row, whole, "tvsum")) + "). The same budget "
        "gives back " + f"{_mean_diff(row, short, 'tvsum') / -_mean_diff(short, whole, 'tvsum'):.0%}" + " of round "
        "14's TVSum loss. "
        + ("It beats the shipped 400-step row on both benchmarks, so by the rule it would replace it." if beats else
           "It does not beat the shipped 400-step row on both benchmarks; the shipped network stays " + _stayed(17)
           + ".")
    )


def _distill_item() -> str:
    rows, shipped_row = load_group(DS), load_group(L4).get("w128_whole")
    if not shipped_row or any(len(rows.get(n, {}).get("seeds", {})) < 3 for n in ("distill_third", "distill_s")):
        return "31. Round 18 (`python experiments/distill.py`): not run."
    teacher = f"{L4}/w128_whole | w=0.5"

    def vs_shipped(name: str) -> str:
        return _against(DS, name, (shipped_row,))

    def per_seed(name: str, ds: str) -> str:
        return ", ".join(_signed(x) for x in _seed_diffs(rows[name], shipped_row, ds))

    better = [n for n in ("distill_third", "distill_s") if all(_mean_diff(rows[n], shipped_row, ds) > 0
                                                                for ds in DATASETS)]
    ships = _shipped_meta().get("group") == DS
    return (
        "31. **Does the shipped network teach a better one? (round 18, fixed before its results)** Round 8's teacher, "
        "the norm, made s a denoised copy of it (item 21); the shipped networks added to the norm as ranks are above "
        "it in the mean on both benchmarks (item 18). Here a sum with item 18's weights (the whole feature row's norm, "
        "ranks within each training window, ties sharing their mean rank) chooses Eq. (8)'s k points of a new network "
        "(config `kpoint_select='teacher'`, `highlit pretrain --teacher CKPT --teacher-share X`; highlit.teacher): "
        "the shipped configuration, trained 400 steps, whose k points are the steps ranked highest and lowest within "
        "each training window by (1 - share) rank(|rho|) + share rank(s_teacher), the teacher being seed s's own "
        "400-step window_128 network; each student read whole, 3 seeds (`python experiments/distill.py`). Each "
        "figure is followed by its mean per-seed difference to the shipped row (readout_400steps/w128_whole, "
        + _group(L4, "w128_whole", "tvsum") + " TVSum / " + _group(L4, "w128_whole", "youtube") + " YouTube): "
        "share 1/3 (item 18's rank sum at w = 0.5) " + vs_shipped("distill_third") + "; share 1 (plain "
        "self-distillation) " + vs_shipped("distill_s") + " (per seed, share 1/3: TVSum "
        + per_seed("distill_third", "tvsum") + ", YouTube " + per_seed("distill_third", "youtube") + "; share 1: "
        "TVSum " + per_seed("distill_s", "tvsum") + ", YouTube " + per_seed("distill_s", "youtube") + "). The "
        "teacher of share 1/3, read as item 18 reads it (whole videos), scores "
        + _reading(teacher, "annotators", group="with_norm_tvsum") + " TVSum / "
        + _reading(teacher, "umt", "youtube", group="with_norm_youtube") + " YouTube. The rule (a student replaces "
        "the shipped network only if its mean beats the shipped row on both benchmarks): "
        + (" and ".join(better) + (" does" if len(better) == 1 else " do") if better else "neither does")
        + (", so the shipped checkpoint is now " + _shipped() if ships else
           ("; the shipped network stays " + _stayed(18) if not better else
            " (not re-shipped yet: `python experiments/ship.py`)")) + ". Against the norm, video by video: share "
        "1/3 " + _vs_norm(f"{DS}/distill_third", "annotators") + " TVSum per annotator, "
        + _vs_norm(f"{DS}/distill_third", "umt", "youtube") + " YouTube; share 1 "
        + _vs_norm(f"{DS}/distill_s", "annotators") + " TVSum per annotator, "
        + _vs_norm(f"{DS}/distill_s", "umt", "youtube") + " YouTube." + _below_teacher(rows, shipped_row, teacher)
    )


def _below_teacher(rows: dict, shipped_row: dict, teacher: str) -> str:
    """Item 31's reading of the students against item 18's rank sum and the shipped row, each clause only where the
    numbers say it."""
    taught = {ds: load_group(f"with_norm_{ds}").get(teacher) for ds in DATASETS}
    if not all(taught.values()):
        return ""
    reading = {"tvsum": "annotators", "youtube": "umt"}
    third = rows["distill_third"]
    gaps = {ds: summary(third, ds)["mean"] - np.mean([s[reading[ds]]["mean"] for s in taught[ds]["seeds"].values()])
            for ds in DATASETS}
    clauses = [" The share-1/3 student is " + ("below" if all(g < 0 for g in gaps.values()) else "not below")
               + " item 18's rank sum of the same networks on both benchmarks (" + _signed(gaps["tvsum"]) + " TVSum, "
               + _signed(gaps["youtube"]) + " YouTube; its training mix ranks within each window and by the whole "
               "row's norm, item 18 over each video and by the RGB half, so that sum is its teacher only "
               "approximately)"]
    wider = [ds for ds in DATASETS if summary(third, ds)["std"] > summary(shipped_row, ds)["std"]]
    if wider:
        clauses.append("its seeds spread wider than the shipped row's on " + " and ".join(
            {"tvsum": "TVSum", "youtube": "YouTube"}[ds] for ds in wider))
    text = ", and ".join(clauses) + "."
    if all(_mean_diff(rows["distill_s"], shipped_row, ds) < 0 for ds in DATASETS):
        text += " A network taught by the shipped network's s alone loses on both benchmarks."
    return text


def _ensemble_item() -> str:
    stored = {ds: load_group(f"ensemble_{ds}") for ds in DATASETS}
    if any(row not in stored[ds] for ds in DATASETS for row in ("ens_400", "ens_200")):
        return "32. Round 19 (`python experiments/ensemble.py --dataset tvsum`, then `--dataset youtube`): not run."
    reading = {"tvsum": "annotators", "youtube": "umt"}

    def figure(row: str, ds: str) -> float:
        return stored[ds][row]["seeds"]["0"][reading[ds]]["mean"]

    gains: list[float] = []

    def versus(row: str, members: str) -> tuple[str, bool]:
        parts, helps = [], True
        for ds, label in (("tvsum", "TVSum"), ("youtube", "YouTube")):
            group, name = members.split("/")
            s = summary(load_group(group)[name], ds)
            gain = figure(row, ds) - s["mean"]
            gains.append(gain)
            helps = helps and gain > s["std"]
            parts.append(f"{figure(row, ds):.3f} {label} ({_signed(gain)} against the members' mean "
                         f"{s['mean']:.3f}, spread {s['std']:.3f}, best member {max(s['runs']):.3f})")
        return " / ".join(parts), helps

    text400, helps400 = versus("ens_400", f"{L4}/w128_whole")
    text200, helps200 = versus("ens_200", f"{R}/w128_whole")
    verdict = {(True, True): "it helps for both configurations", (False, False): "it helps for neither",
               (True, False): "it helps for the 400-step networks only",
               (False, True): "it helps for the 200-step networks only"}[(helps400, helps200)]
    return (
        "32. **Is the shipped configuration limited by its seed noise? (round 19, no training, fixed before its "
        "results)** If s were the norm plus the noise of one training run, the mean of several runs would be above "
        "each. `python experiments/ensemble.py` reads the three networks of a row, each video whole, standardises "
        "each network's s within the video and averages them. The shipped configuration (400 steps): " + text400
        + "; the 200-step networks: " + text200 + ". The reading fixed before the results (the ensemble helps if it "
        "beats its members' mean on both benchmarks by more than their seed spread, the population standard deviation "
        "of three seeds, a low bar): " + verdict + ". Against the "
        "norm, video by video, the 400-step ensemble is " + _vs_norm("ens_400", "annotators", "tvsum",
                                                                     "ensemble_tvsum")
        + " TVSum per annotator, " + _vs_norm("ens_400", "mean", "tvsum", "ensemble_tvsum") + " on the paper's "
        "reading, " + _vs_norm("ens_400", "umt", "youtube", "ensemble_youtube") + " YouTube" + _ensemble_reading(gains)
        + ". The shipped checkpoint holds one network (three would exceed the 30 MB limit), so it stays "
        + _stayed(19) + "."
    )


def _ensemble_reading(gains: list[float]) -> str:
    """What round 19's figures say, each clause only where they say it."""
    text = ""
    if max(abs(g) for g in gains) < 0.01:
        text += (": averaging runs moves the figures by less than a hundredth, so the noise of one training run is a "
                 "small part of what separates s from the targets")
    vs = _norm_bootstrap("ens_400", "annotators", "tvsum", "ensemble_tvsum")
    if vs is not None and vs["ci95"][0] <= 0 <= vs["ci95"][1]:
        text += (", and" if text else ";") + " on TVSum the ensemble is level with the norm, not above it"
    return text


def _blend_item() -> str:
    whole, blend = load_group(L4).get("w128_whole"), load_group(L4).get("w128_blend")
    if not whole or not blend or len(blend["seeds"]) < 3:
        return "33. Round 20 (`python experiments/readout.py --only w128_blend --steps 400`): not run."
    beats = all(_mean_diff(blend, whole, ds) > 0 for ds in DATASETS)
    return (
        "33. **Two readings of one network, averaged? (round 20, no training, fixed before its results)** Round 19 "
        "averaged three networks; one file can only hold one, but it can be read more than once. Round 13 found "
        "each video read whole best on TVSum and detect's two overlapped grids best on YouTube; w128_blend reads the "
        "shipped configuration's three 400-step networks both ways and averages the two, each standardised within "
        "the video (`python experiments/readout.py --only w128_blend --steps 400`). Against the shipped reading "
        "(w128_whole, the same networks): " + _against(L4, "w128_blend", (whole,)) + " (per seed TVSum "
        + ", ".join(_signed(x) for x in _seed_diffs(blend, whole, "tvsum")) + ", YouTube "
        + ", ".join(_signed(x) for x in _seed_diffs(blend, whole, "youtube")) + "). The rule (it replaces the "
        "shipped reading only if it beats w128_whole on both benchmarks): " + (
            "it does" + (", so the shipped checkpoint is read that way" if _shipped_meta().get("read_as")
                         == f"{L4}/w128_blend" else " (not shipped: the product has no blended reading yet)")
            if beats else
            "it does not; the shipped checkpoint stays " + _stayed(20)) + ". Against the norm, video by video: "
        + _vs_norm(f"{L4}/w128_blend", "annotators") + " TVSum per annotator, "
        + _vs_norm(f"{L4}/w128_blend", "umt", "youtube") + " YouTube."
    )


def _longest_item() -> str:
    row, ref = load_group("readout_800steps").get("w128_whole"), load_group(L4).get("w128_whole")
    plain = load_group("inputs_800steps").get("window_128")
    if not row or not ref or not plain or len(row["seeds"]) < 3:
        return ("34. Round 21 (`python experiments/inputs.py --only window_128 --steps 800 && python "
                "experiments/readout.py --only w128_whole --steps 800`): not run.")
    beats = all(_mean_diff(row, ref, ds) > 0 for ds in DATASETS)
    return (
        "34. **Does window_128 keep gaining from longer pretraining? (round 21, fixed before its results)** Round 16's "
        "400 steps gained a little over 200 read whole (item 29). Trained 800 steps (`python experiments/inputs.py "
        "--only window_128 --steps 800`), 3 seeds: read in plain windows " + _group("inputs_800steps", "window_128",
                                                                                     "tvsum")
        + " TVSum / " + _group("inputs_800steps", "window_128", "youtube") + " YouTube; read whole "
        + _against("readout_800steps", "w128_whole", (ref,)) + " against the 400-step row read whole (per seed "
        "TVSum " + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "tvsum")) + ", YouTube "
        + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "youtube")) + "). The rule (it replaces the shipped "
        "network only if, read whole, it beats the 400-step w128_whole on both benchmarks): " + (
            "it does" + (", so the shipped checkpoint is now " + _shipped() if _shipped_meta().get("read_as")
                         == "readout_800steps/w128_whole" else " (not re-shipped yet: `python experiments/ship.py`)")
            if beats else "it does not; the shipped network stays " + _stayed(21)) + ". Against the norm, video by "
        "video: " + _vs_norm("readout_800steps/w128_whole", "annotators") + " TVSum per annotator, "
        + _vs_norm("readout_800steps/w128_whole", "mean") + " on the paper's reading, "
        + _vs_norm("readout_800steps/w128_whole", "umt", "youtube") + " YouTube." + _trade(row, ref)
        + _reaches_norm("readout_800steps/w128_whole")
    )


def _reaches_norm(key: str) -> str:
    """A sentence for a row pretrained under the paper's protocol whose TVSum mean reaches the norm's."""
    vs = _norm_bootstrap(key, "annotators")
    if vs is None or vs["diff"] < 0:
        return ""
    level = vs["ci95"][0] <= 0
    return (" Its mean is the first of a network pretrained under the paper's protocol, read alone, to reach the "
            "norm's on TVSum per annotator" + (", level with it within the videos' noise, not above it." if level
                                               else ", and above it beyond the videos' noise."))


def _trade(row: dict, ref: dict) -> str:
    """The sentence for a row that gains one benchmark and loses the other against its reference, seed by seed."""
    tv, yt = _seed_diffs(row, ref, "tvsum"), _seed_diffs(row, ref, "youtube")
    if all(x > 0 for x in tv) and all(x < 0 for x in yt):
        return (" On every seed it gains TVSum, the benchmark it never saw, and loses YouTube, the corpus it "
                "pretrains on: longer pretraining trades the one for the other.")
    return ""


def _longer_still_item() -> str:
    row, ref = load_group("readout_1600steps").get("w128_whole"), load_group(L4).get("w128_whole")
    mid, plain = load_group("readout_800steps").get("w128_whole"), load_group("inputs_1600steps").get("window_128")
    if not row or not ref or not mid or not plain or len(row["seeds"]) < 3:
        return ("35. Round 22 (`python experiments/inputs.py --only window_128 --steps 1600 && python "
                "experiments/readout.py --only w128_whole --steps 1600`): not run.")
    beats = all(_mean_diff(row, ref, ds) > 0 for ds in DATASETS)
    key = "readout_1600steps/w128_whole"
    return (
        "35. **Does TVSum keep rising with longer pretraining? (round 22, fixed before its results)** Fixed after "
        "round 21's first two seeds (TVSum up on both, YouTube down a little). window_128 trained 1600 steps "
        "(`python experiments/inputs.py --only window_128 --steps 1600`), 3 seeds: read in plain windows "
        + _group("inputs_1600steps", "window_128", "tvsum") + " TVSum / " + _group("inputs_1600steps", "window_128",
                                                                                  "youtube")
        + " YouTube; read whole " + _against("readout_1600steps", "w128_whole", (ref, mid)) + " against the 400-step "
        "(shipped) and the 800-step rows read whole. The rule (it replaces the shipped network only if, read whole, it "
        "beats the 400-step w128_whole on both benchmarks): " + (
            "it does" + (", so the shipped checkpoint is now " + _shipped() if _shipped_meta().get("read_as")
                         == key else " (not re-shipped yet: `python experiments/ship.py`)")
            if beats else "it does not; the shipped network stays " + _stayed(22)) + ". Against the norm, video by "
        "video: " + _vs_norm(key, "annotators") + " TVSum per annotator, " + _vs_norm(key, "mean")
        + " on the paper's reading, " + _vs_norm(key, "umt", "youtube") + " YouTube." + _trade(row, ref)
        + (" It is below the 800-step row on both benchmarks, with a wider spread between seeds on TVSum (± "
           f"{summary(row, 'tvsum')['std']:.3f} against ± {summary(mid, 'tvsum')['std']:.3f}): TVSum does not keep "
           "rising, and past 800 steps the network drifts away on both, as the 'default' preset did with longer "
           "training (item 6)." if all(_mean_diff(row, mid, ds) < 0 for ds in DATASETS) else "")
    )


def _trained_and_read(item: int, round_: int, variant: str, reading: str) -> tuple[dict, dict, str] | str:
    """(the row read whole, the shipped row, the row's key) of a 400-step round that trains inputs.py's ``variant``
    and reads it as readout.py's ``reading``; the item's 'not run' line until all three seeds are in."""
    row, ref = load_group(L4).get(reading), load_group(L4).get("w128_whole")
    if not row or not ref or not load_group("inputs_400steps").get(variant) or len(row["seeds"]) < 3:
        return (f"{item}. Round {round_} (`python experiments/inputs.py --only {variant} --steps 400 && python "
                f"experiments/readout.py --only {reading} --steps 400`): not run.")
    return row, ref, f"{L4}/{reading}"


def _transductive_item() -> str:
    if isinstance(found := _trained_and_read(36, 23, "window_128_transductive", "w128t_whole"), str):
        return found
    row, ref, key = found
    bar = max(float(summary(ref, "tvsum")["std"]), 0.01)
    lift = _mean_diff(row, ref, "tvsum")
    vs = _norm_bootstrap(key, "annotators")
    return (
        "36. **Does seeing TVSum's features help? (round 23, TRANSDUCTIVE, fixed before its results)** Issue #6 asks "
        "for a variant that also pretrains on the TVSum features, without labels, as CHD did, reported apart; the "
        "only such row (main/transductive) was on a preset two generations old. The shipped configuration trained "
        "400 steps on the YouTube train split and all 50 TVSum videos (`python experiments/inputs.py --only "
        "window_128_transductive --steps 400`), 3 seeds: read in plain windows "
        + _group("inputs_400steps", "window_128_transductive", "tvsum") + " TVSum / "
        + _group("inputs_400steps", "window_128_transductive", "youtube") + " YouTube; read whole "
        + _against(L4, "w128t_whole", (ref,)) + " against the shipped row, the same configuration pretrained on "
        "YouTube alone (per seed TVSum " + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "tvsum"))
        + ", YouTube " + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "youtube")) + "). The reading fixed "
        f"before the results (it lifts TVSum if its mean beats the shipped row's by more than {bar:.3f}, the larger "
        "of that row's seed spread and 0.01): " + ("it does" if lift > bar else "it does not")
        + ". It cannot replace the shipped network, which keeps the paper's protocol. Against the norm, video by "
        "video: " + _vs_norm(key, "annotators") + " TVSum per annotator, " + _vs_norm(key, "mean")
        + " on the paper's reading (" + _reading(key, "mean") + ", the paper's 0.783), "
        + _vs_norm(key, "umt", "youtube") + " YouTube."
        + ("" if vs is None else " Even with TVSum's features in its corpus it is "
           + ("below the norm on TVSum per annotator" if vs["ci95"][1] < 0 else
              "level with the norm on TVSum per annotator, within the videos' noise" if vs["ci95"][0] <= 0 else
              "above the norm on TVSum per annotator beyond the videos' noise") + ".") + _seen_lowers(row, ref)
    )


def _transductive_clause() -> str:
    """The closing bullet's sentence on round 23, where it ran."""
    row, ref = load_group(L4).get("w128t_whole"), load_group(L4).get("w128_whole")
    if not row or not ref or len(row["seeds"]) < 3:
        return ""
    lift = _mean_diff(row, ref, "tvsum")
    lifts = lift > max(float(summary(ref, "tvsum")["std"]), 0.01)  # item 36's reading, fixed before its results
    return ("The shipped configuration pretrained on YouTube and TVSum features together (transductive, item 36) "
            f"scores {_group(L4, 'w128t_whole', 'tvsum')} TVSum / {_group(L4, 'w128t_whole', 'youtube')} YouTube, "
            f"{_signed(lift)} TVSum against the same configuration pretrained on YouTube alone and "
            f"{_vs_norm(f'{L4}/w128t_whole', 'annotators')} against the norm: seeing the test videos' features "
            + ("lifts" if lifts else "does not lift") + " it. ")


def _prototype_teacher() -> dict[str, float]:
    """Round 25's teacher read as a score: the prototype the pretraining fitted on the YouTube train split (all of
    it: the experiments keep no validation split), each clip scored by its direction on it; no network."""
    import torch

    from highlit.teacher import fit_prototype

    proto = fit_prototype([v.visual for v in videos("youtube")])
    out = {}
    for ds, reading in (("tvsum", "annotators"), ("tvsum", "mean"), ("youtube", "umt")):
        vids = videos(ds)
        scores = {v.video_id: proto(torch.as_tensor(v.visual[None], dtype=torch.float32))[0].double().numpy()
                  for v in vids}
        labels = {"tvsum_labels": reading} if ds == "tvsum" else {}
        out[f"{ds}/{reading}"] = ev.evaluate_scores(vids, scores, **labels)["mean"]
    return out


def _prototype_item() -> str:
    if isinstance(found := _trained_and_read(38, 25, "window_128_prototype", "w128p_whole"), str):
        return found
    row, ref, key = found
    beats = all(_mean_diff(row, ref, ds) > 0 for ds in DATASETS)
    teacher = _prototype_teacher()
    return (
        "38. **Can a better label-free teacher choose Eq. (8)'s k points? (round 25, fixed before its results)** "
        "Round 8's teacher, the norm, made s a denoised copy of it (item 21). Item 19's prototype, the mean "
        "direction of each video's largest steps minus that of its smallest, fitted on one benchmark's RGB half, "
        "scores the other a hundredth or two above the norm on both. Here it chooses the k points (config "
        "`kpoint_select='prototype'`, highlit.teacher.fit_prototype: fitted by pretraining on its own corpus, the "
        "YouTube train split, on the whole visual row where item 19 read the RGB half; TVSum stays unseen), the "
        "shipped configuration otherwise, 400 steps (`python experiments/inputs.py --only window_128_prototype "
        "--steps 400`), 3 seeds: read in plain windows " + _group("inputs_400steps", "window_128_prototype", "tvsum")
        + " TVSum / " + _group("inputs_400steps", "window_128_prototype", "youtube") + " YouTube; read whole "
        + _against(L4, "w128p_whole", (ref,)) + " against the shipped row (per seed TVSum "
        + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "tvsum")) + ", YouTube "
        + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "youtube")) + "). The teacher itself, read as a "
        f"score (no network), scores {teacher['tvsum/annotators']:.3f} TVSum per annotator "
        f"({teacher['tvsum/mean']:.3f} on the paper's reading) / {teacher['youtube/umt']:.3f} YouTube (fitted on "
        "the videos it scores there). The "
        "rule (it replaces the shipped network only if, read whole, it beats the shipped row on both benchmarks): "
        + ("it does" + (", so the shipped checkpoint is now " + _shipped() if _shipped_meta().get("read_as") == key
                        else " (not re-shipped yet: `python experiments/ship.py`)")
           if beats else "it does not; the shipped network stays " + _stayed(25)) + ". Against the norm, video by "
        "video: " + _vs_norm(key, "annotators") + " TVSum per annotator, " + _vs_norm(key, "mean")
        + " on the paper's reading, " + _vs_norm(key, "umt", "youtube") + " YouTube." + _follows_teacher(row, ref,
                                                                                            teacher)
    )


def _follows_teacher(row: dict, ref: dict, teacher: dict[str, float]) -> str:
    """Item 38's reading, each clause only where the figures say it."""
    norm = {ds: baseline_columns(ds)["norm"]["mean"] for ds in DATASETS}
    shipped = {ds: float(summary(ref, ds)["mean"]) for ds in DATASETS}
    tv, yt = teacher["tvsum/annotators"], teacher["youtube/umt"]
    text = (f" On the whole row the teacher read as a score is {'below' if tv < norm['tvsum'] else 'not below'} the "
            f"norm on TVSum ({tv:.3f} against {norm['tvsum']:.3f}; item 19 read the RGB half) and "
            f"{'above' if yt > shipped['youtube'] else 'not above'} the shipped row on YouTube "
            f"({yt:.3f} against {shipped['youtube']:.3f}), with no network, fitted without labels on the videos it "
            "scores there, as the networks are.")
    if _mean_diff(row, ref, "youtube") > 0 > _mean_diff(row, ref, "tvsum"):
        text += (" Like longer pretraining (item 34) and Eq. (11)'s weights (item 22), the teacher moves the network "
                 "along the trade-off between the two benchmarks rather than lifting both; here towards YouTube, the "
                 "corpus the prototype was fitted on.")
    below = [label for ds, label, t in (("tvsum", "TVSum", teacher["tvsum/annotators"]),
                                        ("youtube", "YouTube", teacher["youtube/umt"]))
             if summary(row, ds)["mean"] < t]
    if len(below) == 2:
        text += " The students stay below their own teacher read as a score on both benchmarks."
    return text


def _seen_lowers(row: dict, ref: dict) -> str:
    """Item 36's clause for a transductive row below its inductive twin on TVSum on every seed, with the old
    preset's pair (main/transductive against main/softmax_l2) beside it."""
    if not all(x < 0 for x in _seed_diffs(row, ref, "tvsum")):
        return ""
    old, twin = load_group("main").get("transductive"), load_group("main").get("softmax_l2")
    then = ("" if not old or not twin else " (on the old preset the same addition moved TVSum by "
            + _signed(summary(old, "tvsum")["mean"] - summary(twin, "tvsum")["mean"]) + " and YouTube by "
            + _signed(summary(old, "youtube")["mean"] - summary(twin, "youtube")["mean"]) + ", means of "
            + f"{len(old['seeds'])} and {len(twin['seeds'])} seeds)")
    return (" On every seed it is below the same configuration pretrained on YouTube alone on TVSum: the test "
            "videos' features in the corpus cost TVSum rather than lift it" + then + ". Our reading, not tested: "
            "what transfers is the norm's cue, which needs no TVSum features, and seeing them does not teach the "
            "network what TVSum's annotators mark.")


def _late_blend_item() -> str:
    row, ref = load_group("readout_800steps").get("w128_blend"), load_group(L4).get("w128_whole")
    whole, blend400 = load_group("readout_800steps").get("w128_whole"), load_group(L4).get("w128_blend")
    if not row or not ref or not whole or not blend400 or len(row["seeds"]) < 3:
        return "37. Round 24 (`python experiments/readout.py --only w128_blend --steps 800`): not run."
    key = "readout_800steps/w128_blend"
    beats = all(_mean_diff(row, ref, ds) > 0 for ds in DATASETS)
    return (
        "37. **The 800-step networks read as round 20's blend? (round 24, no training, fixed before its results)** "
        "Round 21's longer pretraining moved TVSum by " + _signed(_mean_diff(whole, ref, "tvsum")) + " and YouTube "
        "by " + _signed(_mean_diff(whole, ref, "youtube")) + " read whole (item 34); round 20's blend of the whole "
        "and the overlapped readings moved them by " + _signed(_mean_diff(blend400, ref, "tvsum")) + " and "
        + _signed(_mean_diff(blend400, ref, "youtube")) + " (item 33). The two together, the "
        "800-step networks read both ways and averaged (`python experiments/readout.py --only w128_blend --steps "
        "800`): " + _against("readout_800steps", "w128_blend", (ref, whole)) + " against the shipped row and the "
        "800-step networks read whole (per seed against the shipped row, TVSum "
        + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "tvsum")) + ", YouTube "
        + ", ".join(_signed(x) for x in _seed_diffs(row, ref, "youtube")) + "). The rule (it replaces the shipped "
        "network and reading only if it beats the shipped row on both benchmarks): " + (
            "it does" + (", so the shipped checkpoint is now " + _shipped() if _shipped_meta().get("read_as") == key
                         else " (not re-shipped yet: `python experiments/ship.py`)")
            if beats else "it does not; the shipped network stays " + _stayed(24)) + ". Against the norm, video by "
        "video: " + _vs_norm(key, "annotators") + " TVSum per annotator, " + _vs_norm(key, "mean")
        + " on the paper's reading, " + _vs_norm(key, "umt", "youtube") + " YouTube."
    )


def _weights_item() -> str:
    rows, ref = load_group(W), load_group(T).get("teacher_sighted")
    names = ("scl_w0", "scl_w0.3", "scl_w3", "teach_w3", "aux_w0", "all_w1")
    if ref is None or any(n not in rows for n in names):
        return "22. Round 9 (`python experiments/weights.py`): not run (or not all its rows)."
    rerun = rows["all_w1"]
    labels = {"tvsum": "TVSum", "youtube": "YouTube"}

    def delta(name: str, ds: str, against: dict) -> float:
        return _mean_diff(rows[name], against, ds)

    def both(name: str) -> str:
        return _against(W, name, (ref, rerun))

    def follows(name: str) -> str:
        return _follows(name, "tvsum", W) + " TVSum, " + _follows(name, "youtube", W) + " YouTube"

    def moved(against: dict) -> str:
        """The rule: a move larger than teacher_sighted's seed spread (or 0.01 where that is smaller)."""
        out = [labels[ds] for ds in DATASETS if any(abs(delta(n, ds, against)) > spread[ds]
                                                    for n in ("scl_w0", "scl_w0.3", "scl_w3"))]
        return " and ".join(out) if out else "neither benchmark"

    def largest(against: dict) -> str:
        return f"{max((delta(n, 'tvsum', against) for n in ('scl_w0', 'scl_w0.3', 'scl_w3')), key=abs):+.3f}"

    def seeds_with(ds: str, sign: int) -> str:
        d = _seed_diffs(rows["scl_w0"], rerun, ds)
        return f"{sum(x * sign > 0 for x in d)} of {len(d)} seeds: " + ", ".join(f"{x:+.3f}" for x in d)

    seeds = sorted(set(ref["seeds"]) & set(rerun["seeds"]))
    machine = " and ".join(f"{max(abs(ref['seeds'][k][ds]['mean'] - rerun['seeds'][k][ds]['mean']) for k in seeds):.3f}"
                           f" {labels[ds]}" for ds in DATASETS)
    spread = {ds: max(float(summary(ref, ds)["std"]), 0.01) for ds in DATASETS}
    better = [n for n in names[:5] if all(delta(n, ds, r) > 0 for ds in DATASETS for r in (ref, rerun))]
    norm = baseline_columns("tvsum")["norm"]["mean"]
    gaps = [float(summary(rows[n], "tvsum")["mean"]) - norm for n in names]
    return (
        "22. **Do Eq. (11)'s weights limit it? The SCL weight trades one benchmark for the other; no weight lifts "
        "both** (round 9, `python experiments/weights.py`; the table 'Research screening: weights_200steps' "
        "below). Eq. (11) sums its terms unweighted; issue #6 names the SCL weight among the suspects, and no "
        "stored run had varied a weight (Table III only drops terms, on another preset). On round 8's shipped "
        "configuration (teacher_sighted: " + _group(T, "teacher_sighted", "tvsum") + " TVSum / "
        + _group(T, "teacher_sighted", "youtube") + " YouTube with every weight 1), one weight changed at a time, "
        "3 seeds, five variants and the rule fixed before any result. Training repeats bit for bit on one machine "
        "but not across machines (most likely floating point; the step-magnitude code was also rewritten in "
        "between, to the same values at stride 1), so teacher_sighted was also re-run on this round's machine "
        "(added after the first results): " + _group(W, "all_w1", "tvsum") + " TVSum / "
        + _group(W, "all_w1", "youtube") + " YouTube; seed for seed it differs from the first runs by up to "
        + machine + ", so a difference of a hundredth between two machines' runs is noise. Each figure below is "
        "followed by its difference to teacher_sighted and to the re-run, on the same seeds. L_s's weight 0: "
        + both("scl_w0") + "; 0.3: " + both("scl_w0.3") + "; 3: " + both("scl_w3") + ". The means fall in order "
        "on both benchmarks, less SCL with more TVSum and less YouTube, as item 20 predicts (the agreement L_s "
        "rewards marks non-highlights on TVSum, while on YouTube the audio branch helps the network it trains); "
        "against the re-run the YouTube loss without L_s is clear (lower on " + seeds_with("youtube", -1) + "), the "
        "TVSum gain is not (higher on " + seeds_with("tvsum", 1) + "). By the rule (a move larger than "
        "teacher_sighted's seed spread, or 0.01 where that is smaller) the SCL weight moves " + moved(ref)
        + " against teacher_sighted and " + moved(rerun) + " against the re-run; on TVSum only just (its largest "
        "move " + largest(ref) + " and " + largest(rerun) + " against the two). s follows "
        "the norm within a video at a mean Spearman correlation of " + follows("scl_w0") + " without L_s and "
        + follows("scl_w3") + " with it tripled (" + follows("all_w1") + " for the re-run at weight 1). A stronger "
        "teacher (L_r's weight 3): " + both("teach_w3") + "; no auxiliary task (L_au's weight 0): " + both("aux_w0")
        + ": neither moves anything beyond the noise. By the rule (a weight replaces the shipped setting only if its "
        "mean beats teacher_sighted on both benchmarks; checked against the re-run too) " + (
            "the shipped configuration would change to " + ", ".join(better) + "." if better else
            "nothing changed: no weight beats either reference on both.") +
        " The best TVSum row of the round, without L_s, stands against the norm at "
        + _vs_norm(f"{W}/scl_w0", "annotators") + " TVSum per annotator (" + _vs_norm(f"{W}/scl_w0", "mean")
        + " on the paper's reading) and " + _vs_norm(f"{W}/scl_w0", "umt", "youtube") + " YouTube. Every weight "
        f"leaves the network below the norm on TVSum (by {-max(gaps):.3f} to {-min(gaps):.3f} per annotator): the "
        "weights choose where on the trade-off between the two benchmarks the network sits, not whether it learns "
        "more than the magnitude it is taught."
    )


def _av_agreement_item() -> str:
    data = load_group("av_agreement")
    if "diagnostics" not in data:
        return "20. Round 7 (`python experiments/av_agreement.py`): not run."
    d = data["diagnostics"]
    agree, disagree, sync = ("agreement (cosine in the canonical space)", "disagreement (minus that)",
                             "synchrony (Eq. (9)'s per-step term, temperature 0.1)")
    tagree = "agreement (cosine of r^v and r^a)"

    def row(corpus: str, score: str, read: str, reading: str) -> str:
        return _cs(f"{corpus} | {score} | {read}", reading, "av_agreement")

    both = [r for k, r in data.items() if k.endswith("the norm's rank") and "n_seeds" not in r]  # the CCA rows
    yt = [r["youtube"]["vs_norm"]["diff"] for r in both]
    tv = [r["tvsum"]["vs_norm"]["diff"] for r in both]
    return (
        "20. **Does sight agreeing with sound mark highlights? On TVSum it marks the opposite** (round 7, "
        "`python experiments/av_agreement.py`; the table 'Does sight agreeing with sound mark highlights?' below). "
        "RASL's audio reaches the visual branch (the one that scores) only through Eq. (9), which rewards a step "
        "whose visual representation matches its "
        "own audio; if highlights were where sight and sound go together, that agreement would itself be a score. "
        "Read with no network, in a CCA space between the visual and audio rows fitted on other videos (the "
        "linear analogue of Eq. (9)'s two heads; the two modalities do correlate: first canonical correlation "
        f"{d['tvsum_first_canonical_correlation']:.2f} TVSum, {d['youtube_first_canonical_correlation']:.2f} "
        "YouTube), a clip's agreement scores " + row("other benchmark", agree, "alone", "tvsum")
        + " TVSum per annotator with the CCA fitted on YouTube, far below random, and "
        + row("benchmark", agree, "alone", "tvsum") + " fitted on TVSum's other videos; on YouTube "
        + row("other benchmark", agree, "alone", "youtube") + " (CCA from TVSum) and "
        + row("benchmark", agree, "alone", "youtube") + " (its other videos). Eq. (9)'s own per-step term "
        "(synchrony: how much better the clip's sound matches its own picture than the rest of the video's) "
        "behaves alike: " + row("other benchmark", sync, "alone", "tvsum") + " TVSum, "
        + row("benchmark", sync, "alone", "youtube") + " YouTube. It is not a hidden anti-norm: within a video "
        f"agreement correlates {d['tvsum_agreement_corr_with_norm']:+.2f} (TVSum) and "
        f"{d['youtube_agreement_corr_with_norm']:+.2f} (YouTube) with the norm. Read the other way round "
        "(disagreement, fixed before any result as the surprise reading) it is still below the norm alone ("
        + row("other benchmark", disagree, "alone", "tvsum") + " TVSum, "
        + row("other benchmark", disagree, "alone", "youtube") + " YouTube), and added to the norm the six "
        f"rank sums move it by {min(tv):+.3f} to {max(tv):+.3f} on TVSum and {min(yt):+.3f} to {max(yt):+.3f} on "
        "YouTube" + (", below the norm on YouTube every time" if max(yt) < 0 else "") + ". So on these "
        "features the audio-visual agreement Eq. (9) trains for is, on TVSum, a mark of non-highlights (our "
        "guess, not checked on the video: speech to camera and other "
        "footage where picture and sound move together). The paper's own heads say the same (added after the CCA "
        "rows): in the networks pretrained on YouTube with SCL, the per-step cosine of r^v and r^a that Eq. (9) "
        "raises scores " + row("main/best", tagree, "alone", "tvsum") + " TVSum and "
        + row("main/best", tagree, "alone", "youtube") + " YouTube ('default' preset, 3 seeds), "
        + row("magnitude_200steps/scale_s_s1", tagree, "alone", "tvsum") + " and "
        + row("magnitude_200steps/scale_s_s1", tagree, "alone", "youtube") + " (one s per clip): below random "
        "on TVSum and at random on YouTube, the corpus the heads were trained on. The Table III ablation agrees on "
        "TVSum and not on YouTube: "
        "without audio the trained model scores " + _group_cell("ablations", "wo_audio", "tvsum") + " TVSum against "
        + _main("softmax_l2", "tvsum") + " with it, but " + _group_cell("ablations", "wo_audio", "youtube")
        + " YouTube against " + _main("softmax_l2", "youtube") + ": on the corpus it was trained on, the audio "
        "branch does help the network, though not because agreement marks the highlights."
    )


def _group_cell(group: str, name: str, ds: str) -> str:
    entry = load_group(group).get(name)
    return cell(summary(entry, ds) if entry else None)


def best_of(cols: dict, skip: tuple[str, ...]) -> tuple[str, dict] | None:
    cands = [(k, v) for k, v in cols.items() if k not in skip]
    return max(cands, key=lambda kv: kv[1]["mean"]) if cands else None


def main() -> None:
    lines = ["# Benchmark results (generated)", "",
             "Generated by `python experiments/make_results.py` from `experiments/results/*.json`; do not edit "
             "by hand. Each table names the script that regenerates its JSON. Data: the UMT feature release of "
             f"TVSum and YouTube Highlights (`{DATA}`; I3D RGB+flow 2048-d visual, 2048-d audio, one row per "
             "clip: 2 s on TVSum, a 100-frame window on YouTube). Metrics: `highlit.metrics` (UMT's code, "
             "ties broken by a seeded permutation, not clip order; TVSum per annotator, except in the table "
             "'TVSum under the seed paper's label reading', which also reads every row the paper's way).", "",
             "## Protocol", "",
             "- Pretraining is unsupervised on the **YouTube Highlights train-split features only** (the paper "
             "pretrains on ActivityNet, which is not available here: a different, much smaller corpus of 234 "
             "videos, ~14k clips).",
             "- TVSum: all 50 videos, never seen in pretraining (the paper's 'w/o using TVSum data').",
             "- YouTube: the same train split the model pretrained on. It saw the features, never the labels, "
             "so this is a transductive number; an unseen YouTube split is kept elsewhere for independent "
             "checking (`highlit evaluate --root DIR` works on any folder in the same layout).",
             "- The model runs on the clip grid directly: windows of W clip steps (W = 64, about 2 min, unless a "
             "row says otherwise) instead of the paper's 150 steps of 0.2 s.",
             "- Labels are used only to score. Where a setting was chosen by its benchmark score, the research "
             "section says so and shows every variant tried; the choice rule was: best YouTube (pretraining "
             "corpus) mAP, confirmed on TVSum.",
             "- Seeds: mean ± population std over n seeds (n shown); single runs mislead (seed spread "
             "~0.02-0.06).", "",
             "## Main results (Tables I and II layout)", "",
             "`python experiments/baselines.py && python experiments/main.py`", ""]
    picked = main_tables(lines)
    label_reading_table(lines)
    youtube_vs_norm_table(lines)
    with_norm_table(lines)
    lines += ["## Ablations", ""]
    lines += ["Ablations, fusions and the k sweep are variants of the **softmax + gate_norm** preset (the best "
              "one when they ran; `common.SOFTMAX_L2`). Its 'w/o RASL' row (sigmoid s, no budget, no Eq. 8) then "
              "beat it over 3 seeds on both benchmarks and became the 'default' preset.", ""]
    compact_table(lines, "ablations", "Model components (Table III)", "python experiments/ablations.py",
                  reference="softmax_l2", reference_name="full")
    compact_table(lines, "fusion", "Fusion schemes (Table IV)", "python experiments/fusion.py",
                  reference="softmax_l2", reference_name="scl")
    compact_table(lines, "ksweep", "k sweep with and without k-point contrast (Fig. 6)",
                  "python experiments/ksweep.py", paper=False)
    lines += ["k is capped at half the 8 representation steps of a 64-clip window. k = 0 (no L_r) is the main "
              "'softmax_l2' row: "
              f"{_main('softmax_l2', 'youtube')} YouTube / {_main('softmax_l2', 'tvsum')} TVSum.",
              ""]
    efficiency(lines)
    lines += ["## Research: what moves the numbers", ""]
    narrative(lines)
    feature_table(lines)
    corpus_table(lines)
    self_training_table(lines)
    av_agreement_table(lines)
    supervised_table(lines)
    diagnostics_table(lines)
    research_tables(lines)
    lines += ["## Closing note", ""]
    for ds in DATASETS:
        cols = picked.get(ds, {})
        best = best_of(cols, ("random", "norm", "distinct"))
        norm = cols.get("norm")
        if best and norm:
            lines.append(f"- {ds}: best model row **{best[0]}** {best[1]['mean']:.3f} ± {best[1].get('std') or 0:.3f} "
                         f"vs the paper's {ev.PAPER[ds]:.3f}; RGB-norm baseline {norm['mean']:.3f}; "
                         f"random {cols['random']['mean']:.3f}. "
                         + ("Below the paper's figure." if best[1]["mean"] < ev.PAPER[ds]
                            else "At or above the paper."))
    lines += [f"- Closest to the norm in the later rounds: pretrained on YouTube, the norm choosing Eq. (8)'s k "
              f"points on 128-clip windows, trained 400 steps, each video read whole (items 23, 26, 29) "
              f"{_group(L4, 'w128_whole', 'tvsum')} TVSum (YouTube {_group(L4, 'w128_whole', 'youtube')}); one "
              "network per YouTube domain with "
              "`decoder_scale='s'`, "
              f"squared error, one s per clip (transductive) {_group(D, 'scale_s_s1_l2', 'youtube')} YouTube "
              f"(TVSum per category {_group(D, 'scale_s_s1_l2', 'tvsum')}). Trained 800 steps (round 21, item 34) "
              "the shipped configuration reaches the norm's mean on TVSum, "
              f"{_group('readout_800steps', 'w128_whole', 'tvsum')} "
              f"({_vs_norm('readout_800steps/w128_whole', 'annotators')}), and loses YouTube "
              f"({_group('readout_800steps', 'w128_whole', 'youtube')}); 1600 steps lose both (item 35)."]
    lines += ["- Under the paper's protocol (pretrained on another corpus, the YouTube train split) every trained "
              "variant is below the plain RGB-norm baseline on TVSum or, at 800 steps (item 34), level with it; on "
              "YouTube, the corpus they were pretrained on "
              "without labels, the rows where the norm chooses Eq. (8)'s k points with the encoder seeing magnitudes "
              f"(items 21-29, read plainly or whole) are above it, {_teacher_youtube_range()} against the norm's "
              f"{baseline_columns('youtube')['norm']['mean']:.3f}, all within the videos' noise (the 200-step row: "
              f"{_vs_norm(f'{T}/teacher_sighted', 'umt', 'youtube')}; on 128-clip windows, trained 400 steps and "
              f"read whole, the shipped checkpoint's row, {_vs_norm(f'{L4}/w128_whole', 'umt', 'youtube')}, and on "
              f"TVSum {_vs_norm(f'{L4}/w128_whole', 'annotators')}, the closest a pretrained row came before "
              f"round 21 (item 34), items 23, 26 and 29). Read in detect's overlapped grids round 10's networks are "
              f"above the norm on YouTube "
              f"beyond the videos' noise ({_vs_norm(f'{R}/w128_overlap', 'umt', 'youtube')}; "
              f"{_group(R, 'w128_overlap', 'youtube')}) and below it on TVSum "
              f"({_vs_norm(f'{R}/w128_overlap', 'annotators')}). Read whole and added to the norm (rank sum, "
              f"w = 0.5, item 18) round 10's networks are above it in the mean on both "
              f"({_vs_norm(f'{R}/w128_whole | w=0.5', 'annotators', 'tvsum', 'with_norm_tvsum')} TVSum, "
              f"{_vs_norm(f'{R}/w128_whole | w=0.5', 'umt', 'youtube', 'with_norm_youtube')} YouTube), the "
              f"shipped 400-step networks "
              f"{_vs_norm(f'{L4}/w128_whole | w=0.5', 'annotators', 'tvsum', 'with_norm_tvsum')} TVSum and "
              f"{_vs_norm(f'{L4}/w128_whole | w=0.5', 'umt', 'youtube', 'with_norm_youtube')} YouTube. "
              "Beyond that protocol, the rows at or above "
              "the norm fit one "
              "network per category with s read as the decoded length (items 12-14): above the norm on YouTube "
              "(level with it on held-out videos), level with it on TVSum (below it on held-out TVSum videos); "
              "they do not beat the norm on both. Added to the norm (rank sum, item 18) the per-domain networks beat "
              "it on YouTube by one to two hundredths, held out too, and add nothing on TVSum. "
              + _transductive_clause() +
              "What was tried, what moved the numbers and our reading of why are in 'Research' above "
              "(items 1-38); n is shown in every cell (the CPU budget allowed 1 seed for the screening rows).", ""]
    text = "\n".join(lines)
    text = text.replace(" nan", " -")
    atomic_write_text(OUT, text)
    print(f"wrote {OUT} ({len(text)} chars)")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
