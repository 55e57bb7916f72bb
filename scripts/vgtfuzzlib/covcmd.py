"""`vgtfuzz coverage`: replay corpora in a coverage build; llvm-cov HTML plus a summary report."""
import os
import time

from .common import ROOT, UsageError, atomic_write, say
from . import campaign, extract, fuzz


def run_coverage(args):
    lifted = extract.lift_kernel(args.kernel)
    kid = os.path.basename(lifted)
    if args.corpus:
        dirs = [(d, args.target) for d in args.corpus]
    else:
        # Every target's committed corpora (the gvt target's when the tree's host side is lifted:
        # docs/gvt.md), and the last libFuzzer campaign of each if there is one.
        targets = ["balloon", "drm_mm"] + ([] if extract.host_refused(lifted) else ["gvt"])
        fuzzed = [(os.path.join(ROOT, "out", kid + ("" if t == "balloon" else "-" + t) + "-libfuzzer-release",
                                "corpus"), t) for t in targets]
        dirs = [(d, t) for t in targets for d in fuzz.seed_dirs(t)] + [(d, t) for d, t in fuzzed if os.path.isdir(d)]
    for d, _ in dirs:
        if not os.path.isdir(d):
            raise UsageError("no such corpus directory: %s" % d)
    html = os.path.abspath(args.html or os.path.join(ROOT, "out", "coverage-%s" % kid))
    rep, funcs, impl = campaign.coverage(lifted, dirs, html_dir=html)
    covered, total, rows = campaign.drm_mm_i915_lines(funcs)
    pct = 100.0 * covered / max(total, 1)
    mm_rows = ["| `%s` | %d | %d |" % (n, z, m) for n, m, z in rows]
    version = kid.split("-")[0]
    md = os.path.join(ROOT, "reports", "coverage-%s.md" % version)
    atomic_write(md, "\n".join([
        "# Coverage: kernel %s" % version, "",
        "Written by `scripts/vgtfuzz coverage` on %s: %d inputs from %s replayed in a clang "
        "source-coverage build of the standalone replayer. HTML: `%s` (not committed)."
        % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), sum(len(os.listdir(d)) for d, _ in dirs),
           ", ".join("%s (%s)" % (campaign.rel(d), t) for d, t in dirs), campaign.rel(html)), "",
        "## The drm_mm functions i915 reaches", "",
        "Insert in every mode, reserve, remove, the hole trees and stack, the eviction scan and colour "
        "eviction (docs/drm_mm.md): **%d of %d lines (%.1f%%)**." % (covered, total, pct), "",
        "| function | lines | missed |", "|---|---|---|", *mm_rows, "",
        "## The lifted kernel code", "", "```", rep.strip(), "```", "",
        "```", funcs.strip(), "```", "",
        "## The production library (impl/)", "", "```", impl.strip(), "```", ""]))
    say("drm_mm functions i915 reaches: %d of %d lines covered (%.1f%%)" % (covered, total, pct))
    say("report: %s" % campaign.rel(md))
    say("html: %s" % os.path.join(html, "index.html"))
    return 0
