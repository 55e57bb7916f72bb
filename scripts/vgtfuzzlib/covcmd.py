"""`vgtfuzz coverage`: replay corpora in a coverage build; llvm-cov HTML plus a summary report."""
import os
import time

from .common import ROOT, UsageError, say
from . import campaign, extract


def run_coverage(args):
    lifted = extract.lift_kernel(args.kernel)
    kid = os.path.basename(lifted)
    dirs = args.corpus or [os.path.join(ROOT, "corpus", "seeds"), os.path.join(ROOT, "corpus", "regressions")]
    fuzzed = os.path.join(ROOT, "out", "%s-libfuzzer-release" % kid, "corpus")
    if not args.corpus and os.path.isdir(fuzzed):
        dirs.append(fuzzed)
    for d in dirs:
        if not os.path.isdir(d):
            raise UsageError("no such corpus directory: %s" % d)
    html = os.path.abspath(args.html or os.path.join(ROOT, "out", "coverage-%s" % kid))
    rep, funcs, impl = campaign.coverage(lifted, dirs, html_dir=html)
    md = os.path.join(ROOT, "reports", "coverage-%s.md" % kid.split("-")[0])
    n = sum(len(os.listdir(d)) for d in dirs)
    with open(md, "w") as f:
        f.write("\n".join([
            "# Coverage: kernel %s" % kid.split("-")[0], "",
            "Written by `scripts/vgtfuzz coverage` on %s: %d inputs from %s replayed in a clang "
            "source-coverage build of the standalone replayer. HTML: `%s` (not committed)."
            % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), n,
               ", ".join(campaign.rel(d) for d in dirs), campaign.rel(html)), "",
            "## The lifted kernel code", "", "```", rep.strip(), "```", "",
            "```", funcs.strip(), "```", "",
            "## The production library (impl/)", "", "```", impl.strip(), "```", ""]))
    say("report: %s" % campaign.rel(md))
    say("html: %s" % os.path.join(html, "index.html"))
    return 0
