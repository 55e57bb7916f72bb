#define _POSIX_C_SOURCE 200809L
/*
 * The xevf runner and its oracles (docs/xevf.md). Each op runs on the lifted kernel and on the
 * production model; after it the oracles read the kernel's state (kmodule.h's view, the GSM
 * model, WARN and allocation events):
 *   - probe/requery: the kernel accepts exactly what the ABI allows (accept-wrap, -outside,
 *     -unaligned, refuse-valid); after probe the free GGTT is exactly [start, start + size)
 *     (usable); a WARN followed by a refusal is its own class (warn-refusal);
 *   - every failure: no balloon or node pointer left freed or as an error pointer (dangling);
 *   - requery: the state agrees with the stored configuration (stale);
 *   - alloc: kernel and model agree it fits (alloc-diff); the node is inside the VF's range and
 *     [WOPCM, GUC_GGTT_TOP), aligned as asked (node-outside, node-misaligned);
 *   - every PTE write inside the VF's GSM slice and inside the GSM (pte-outside-vf, gsm-oob);
 *   - fini: nothing left allocated (leak).
 */
#include <fnmatch.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "module.h"
#include "run.h"
#include "scenario.h"
#include "xevf_env.h"

#define GUC_TOP 0xFEE00000ull

static const char *const sig_names[] = {
#define XEVF_SIG(id, name, doc) name,
#include "signatures.def"
#undef XEVF_SIG
};

static const struct {
	const char *pattern, *reason;
} accepted_rows[] = {
#define XEVF_ACCEPT(pattern, reason) { pattern, reason },
#include "accepted.def"
#undef XEVF_ACCEPT
	{ NULL, NULL }
};

const char *xevf_accepted(const char *sig)
{
	for (int i = 0; accepted_rows[i].pattern; i++)
		if (fnmatch(accepted_rows[i].pattern, sig, 0) == 0)
			return accepted_rows[i].reason;
	return NULL;
}

static struct xevf_result *R;
static FILE *V; /* where the op-by-op trace goes, or NULL */
/* The first accepted-configuration or stale-state finding of this test case: later placement and
 * PTE findings are its consequences and say so ("/after-<class>"). */
static char taint[48];

static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!V)
		return;
	va_start(ap, fmt);
	vfprintf(V, fmt, ap);
	va_end(ap);
}

static void finding(enum xevf_sig sig, const char *sub, const char *fmt, ...)
{
	char s[96];
	va_list ap;
	int consequence = sig == XEVF_SIG_NODE_OUTSIDE || sig == XEVF_SIG_PTE_RUNAWAY ||
			  sig == XEVF_SIG_PTE_OUTSIDE_VF || sig == XEVF_SIG_GSM_OOB ||
			  sig == XEVF_SIG_NODE_MISALIGNED || sig == XEVF_SIG_ALLOC_DIFF;

	if (consequence && taint[0] && !sub)
		sub = taint;
	snprintf(s, sizeof(s), "xevf/%s/%s%s%s", sig_names[sig], xevf_k_era(), sub ? "/" : "", sub ? sub : "");
	if (!taint[0] && (sig == XEVF_SIG_ACCEPT_WRAP || sig == XEVF_SIG_ACCEPT_OUTSIDE ||
			  sig == XEVF_SIG_ACCEPT_UNALIGNED || sig == XEVF_SIG_STALE))
		snprintf(taint, sizeof(taint), "after-%s", sig_names[sig]);
	for (int i = 0; i < R->nfindings; i++)
		if (!strcmp(R->sig[i], s))
			return; /* one report per signature per test case */
	if (R->nfindings == XEVF_MAX_FINDINGS)
		return;
	memcpy(R->sig[R->nfindings], s, sizeof(s));
	R->cls[R->nfindings] = sig;
	va_start(ap, fmt);
	vsnprintf(R->detail[R->nfindings], sizeof(R->detail[0]), fmt, ap);
	va_end(ap);
	R->accepted[R->nfindings] = xevf_accepted(s) != NULL;
	if (!R->accepted[R->nfindings])
		R->unaccepted++;
	trace("  FINDING %s: %s\n", s, R->detail[R->nfindings]);
	R->nfindings++;
}

static const char *cfg_sig_sub(enum xevf_cfg_verdict v)
{
	return xevf_cfg_verdict_name(v);
}

/* The kernel accepted (start, size); the model judges it. */
static void judge_acceptance(const char *what, uint64_t start, uint64_t size, uint64_t wopcm)
{
	enum xevf_cfg_verdict v = xevf_model_judge(start, size, wopcm);

	if (v == XEVF_CFG_WRAPS)
		finding(XEVF_SIG_ACCEPT_WRAP, what,
			"accepted start %#" PRIx64 " size %#" PRIx64 " (end wraps to %#" PRIx64 ")", start, size,
			start + size);
	else if (v == XEVF_CFG_UNALIGNED)
		finding(XEVF_SIG_ACCEPT_UNALIGNED, what, "accepted start %#" PRIx64 " size %#" PRIx64, start, size);
	else if (v != XEVF_CFG_OK)
		finding(XEVF_SIG_ACCEPT_OUTSIDE, what,
			"accepted start %#" PRIx64 " size %#" PRIx64 " (%s; WOPCM %#" PRIx64 ")", start, size,
			cfg_sig_sub(v), wopcm);
}

static void check_pte(uint64_t before_out, uint64_t before_oob)
{
	if (xevf_env.pte_outside_gsm > before_oob)
		finding(XEVF_SIG_GSM_OOB, NULL, "PTE write at GSM index %#" PRIx64 " (the GSM holds %#x)",
			xevf_env.first_oob_index, XEVF_GSM_ENTRIES);
	else if (xevf_env.pte_outside_vf > before_out)
		finding(XEVF_SIG_PTE_OUTSIDE_VF, NULL,
			"PTE write at GSM index %#" PRIx64 ", the VF owns [%#" PRIx64 ", %#" PRIx64 ")",
			xevf_env.first_bad_index, xevf_env.vf_lo, xevf_env.vf_hi);
}

static void check_pointers(const struct xevf_kview *k)
{
	static const char *const st[] = { "NULL", "live", "an error pointer", "freed (dangling)" };

	for (int i = 0; i < 2; i++)
		if (k->balloon_state[i] == XEVF_PTR_DANGLING || (k->balloon_state[i] == XEVF_PTR_ERR))
			finding(XEVF_SIG_DANGLING,
				k->balloon_state[i] == XEVF_PTR_ERR ? (i ? "balloon1-errptr" : "balloon0-errptr") :
								      (i ? "balloon1" : "balloon0"),
				"tile->sriov.vf.ggtt_balloon[%d] is %s", i, st[k->balloon_state[i]]);
}

/* Free space right after probe must be exactly the VF's range. */
static void check_usable(const struct xevf_kview *k, uint64_t start, uint64_t size)
{
	if (k->nholes != 1 || k->hole_lo[0] != start || k->hole_hi[0] != start + size)
		finding(XEVF_SIG_USABLE, NULL,
			"free GGTT is %d range(s), first [%#" PRIx64 ", %#" PRIx64 "), not [%#" PRIx64 ", %#" PRIx64
			")",
			k->nholes, k->nholes ? k->hole_lo[0] : 0, k->nholes ? k->hole_hi[0] : 0, start, start + size);
}

static void check_stale(const struct xevf_kview *k, uint64_t start, uint64_t size)
{
	if (k->cfg_base != start || k->cfg_size != size)
		finding(XEVF_SIG_STALE, "config", "stored %#" PRIx64 "+%#" PRIx64 ", GuC said %#" PRIx64 "+%#" PRIx64,
			k->cfg_base, k->cfg_size, start, size);
	if (k->balloon_state[0] == XEVF_PTR_LIVE && k->balloon_hi[0] != k->cfg_base)
		finding(XEVF_SIG_STALE, "balloon",
			"balloon [%#" PRIx64 ", %#" PRIx64 ") still ends at the old start; the"
			" stored start is %#" PRIx64,
			k->balloon_lo[0], k->balloon_hi[0], k->cfg_base);
	else if (k->balloon_state[1] == XEVF_PTR_LIVE && k->balloon_lo[1] != k->cfg_base + k->cfg_size)
		finding(XEVF_SIG_STALE, "balloon",
			"balloon [%#" PRIx64 ", %#" PRIx64 ") still starts at the old end; "
			"the stored range ends at %#" PRIx64,
			k->balloon_lo[1], k->balloon_hi[1], k->cfg_base + k->cfg_size);
	if (k->online && k->ggtt_start && k->ggtt_start != k->cfg_base)
		finding(XEVF_SIG_STALE, "base", "ggtt->start %#" PRIx64 " but the stored base is %#" PRIx64,
			k->ggtt_start, k->cfg_base);
}

static jmp_buf bail;
static size_t bail_op;

static void runaway(void)
{
	longjmp(bail, 1);
}

static void run_ops(const struct xevf_scenario *sc, const struct xevf_kcfg *cfg, struct xevf_result *res);

void xevf_run(const uint8_t *data, size_t len, FILE *trace_to, struct xevf_result *res)
{
	static struct xevf_scenario sc;
	struct xevf_kcfg cfg;

	memset(res, 0, sizeof(*res));
	R = res;
	V = trace_to;
	taint[0] = 0;
	xevf_decode(data, len, &sc);
	memset(&cfg, 0, sizeof(cfg));
	cfg.start = sc.ggtt_start;
	cfg.size = sc.ggtt_size;
	cfg.rq_start = sc.requery_start;
	cfg.rq_size = sc.requery_size;
	cfg.wopcm = sc.wopcm;
	cfg.shape[0] = (uint8_t)sc.shape_start;
	cfg.shape[1] = (uint8_t)sc.shape_size;
	cfg.shape[2] = (uint8_t)sc.shape_rq_start;
	cfg.shape[3] = (uint8_t)sc.shape_rq_size;
	xevf_env.runaway = runaway;
	bail_op = 0;
	if (setjmp(bail) == 0) {
		run_ops(&sc, &cfg, res);
	} else {
		/* The kernel was stopped inside an op: its state is not to be trusted or torn down;
		 * the next setup discards it (tracked allocations are freed by the reset). */
		finding(XEVF_SIG_PTE_RUNAWAY, NULL,
			"in op #%zu (%s): more than %u PTE writes; %" PRIu64
			" outside the GSM, first at index %#" PRIx64,
			bail_op, xevf_op_name(sc.ops[bail_op].kind), XEVF_PTE_BUDGET, xevf_env.pte_outside_gsm,
			xevf_env.first_oob_index);
		xevf_module_production.setup(&cfg);
	}
	xevf_env_reset(0);
}

static void run_ops(const struct xevf_scenario *scp, const struct xevf_kcfg *cfgp, struct xevf_result *res)
{
	const struct xevf_module *K = &xevf_module_kernel, *P = &xevf_module_production;
	const struct xevf_scenario sc = *scp;
	static struct xevf_kview kv;
	struct xevf_kcfg cfg = *cfgp;
	uint64_t cur_start, cur_size;
	int in_sync = 1;

	(void)res;
	K->setup(&cfg);
	P->setup(&cfg);
	cur_start = cfg.start;
	cur_size = cfg.size;
	trace("kernel %s (era %s); KLV start %#" PRIx64 " size %#" PRIx64 ", re-query %#" PRIx64 " %#" PRIx64
	      ", WOPCM %#" PRIx64 "\n",
	      xevf_k_version(), xevf_k_era(), cfg.start, cfg.size, cfg.rq_start, cfg.rq_size, cfg.wopcm);

	for (size_t i = 0; i < sc.nops; i++) {
		const struct xevf_op *op = &sc.ops[i];
		unsigned int warns = vgtfuzz_kevents.warns, asserts = xevf_env.asserts;
		uint64_t out = xevf_env.pte_outside_vf, oob = xevf_env.pte_outside_gsm, kaddr = 0, paddr = 0;
		int kr = 0, pr = 0, was_online;

		bail_op = i;
		xevf_env_op_begin();
		K->view(&kv);
		was_online = kv.online;
		switch (op->kind) {
		case XEVF_OP_probe:
			kr = K->probe();
			pr = P->probe();
			trace("#%zu probe: kernel %d, model %d\n", i, kr, pr);
			if (was_online)
				break;
			if (!res->probed) {
				res->probed = 1;
				res->probe_kernel = kr;
				res->probe_model = pr;
			}
			K->view(&kv);
			if (!kr) {
				judge_acceptance("probe", cfg.start, cfg.size, cfg.wopcm);
				if (pr && xevf_model_judge(cfg.start, cfg.size, cfg.wopcm) == XEVF_CFG_OK)
					finding(XEVF_SIG_ACCEPT_INVALID, "probe",
						"kernel accepted; the model refuses (%d): "
						"the GuC's reply was malformed",
						pr);
				check_usable(&kv, cfg.start, cfg.size);
			} else {
				check_pointers(&kv);
			}
			if (kr && !pr)
				finding(XEVF_SIG_REFUSE_VALID, "probe",
					"kernel refused (%d) a configuration the ABI allows", kr);
			if (!kr != !pr)
				in_sync = 0;
			break;
		case XEVF_OP_alloc: {
			uint64_t size = XEVF_ALLOC_SIZE(op), align = XEVF_ALLOC_ALIGN(op);
			unsigned int mode = XEVF_ALLOC_MODE(op);
			int relative;

			if (!was_online)
				break;
			kr = K->alloc(size, align, mode, &kaddr);
			pr = in_sync ? P->alloc(size, align, mode, &paddr) : 0;
			trace("#%zu alloc %#" PRIx64 " align %#" PRIx64 " mode %u: kernel %d at %#" PRIx64
			      ", model %d%s\n",
			      i, size, align, mode, kr, kaddr, pr,
			      in_sync ? "" : " (not run: the model refused the range)");
			/* 7.x aligns offsets from the VF's base, the model addresses: when the base is not
			 * aligned as asked the two may disagree (X7 in reports/findings.md) */
			relative = !strcmp(xevf_k_era(), "base-7.x") && align > 4096 && cur_start % align;
			if (in_sync && !kr != !pr)
				finding(XEVF_SIG_ALLOC_DIFF, relative ? "relative-align" : NULL,
					"%#" PRIx64 " bytes aligned %#" PRIx64 " from base %#" PRIx64
					": kernel %d, model %d",
					size, align, cur_start, kr, pr);
			if (!kr) {
				if (in_sync)
					xevf_model_adopt(kaddr, size);
				if (kaddr < cur_start || kaddr + size < kaddr || kaddr + size > cur_start + cur_size ||
				    kaddr < cfg.wopcm || kaddr + size > GUC_TOP)
					finding(XEVF_SIG_NODE_OUTSIDE, NULL,
						"node [%#" PRIx64 ", %#" PRIx64 ") vs the VF's [%#" PRIx64 ", %#" PRIx64
						") in [WOPCM %#" PRIx64 ", GUC_GGTT_TOP)",
						kaddr, kaddr + size, cur_start, cur_start + cur_size, cfg.wopcm);
				if (align > 4096 && kaddr % align)
					finding(XEVF_SIG_NODE_MISALIGNED, relative ? "relative-align" : NULL,
						"node at %#" PRIx64 " asked alignment %#" PRIx64, kaddr, align);
			}
			break;
		}
		case XEVF_OP_free:
			if (!was_online)
				break;
			kr = K->free(op->b);
			if (in_sync)
				P->free(op->b);
			trace("#%zu free #%u: kernel %d\n", i, op->b, kr);
			break;
		case XEVF_OP_requery: {
			int back = op->a & 1;
			uint64_t s = back ? cfg.start : cfg.rq_start, z = back ? cfg.size : cfg.rq_size;

			if (!was_online)
				break;
			kr = K->requery(back);
			pr = in_sync ? P->requery(back) : 0;
			trace("#%zu requery (%s): kernel %d, model %d%s\n", i, back ? "original" : "re-query pair", kr,
			      pr, in_sync ? "" : " (not run: the model refused the range)");
			K->view(&kv);
			if (!kr) {
				judge_acceptance("requery", s, z, cfg.wopcm);
				if (in_sync && pr && xevf_model_judge(s, z, cfg.wopcm) == XEVF_CFG_OK)
					finding(XEVF_SIG_ACCEPT_INVALID, "requery",
						"kernel accepted; the model refuses (%d): "
						"a malformed reply or a changed size",
						pr);
				cur_start = s;
				cur_size = z;
				check_stale(&kv, s, z);
			}
			if (in_sync && kr && !pr)
				finding(XEVF_SIG_REFUSE_VALID, "requery",
					"kernel refused (%d) a re-query the ABI allows", kr);
			if (!kr != !pr)
				in_sync = 0;
			break;
		}
		case XEVF_OP_fini:
			K->fini();
			P->fini();
			trace("#%zu fini\n", i);
			/* deballoon frees the balloons and leaves their pointers: the device is going
			 * away, so they are not judged here */
			if (xevf_env.nlive)
				finding(XEVF_SIG_LEAK, NULL, "%d kernel allocation(s) live after fini", xevf_env.nlive);
			/* a later probe starts a new bind */
			K->setup(&cfg);
			P->setup(&cfg);
			cur_start = cfg.start;
			cur_size = cfg.size;
			in_sync = 1;
			break;
		default:
			break;
		}
		if (xevf_env.op_writes) {
			trace("  PTE writes: %" PRIu64 " at GSM indices [%#" PRIx64 ", %#" PRIx64 "], first:",
			      xevf_env.op_writes, xevf_env.op_min, xevf_env.op_max);
			for (uint64_t w = 0; w < xevf_env.op_writes && w < 8; w++)
				trace(" %#" PRIx64, xevf_env.op_log[w]);
			trace("\n");
		}
		check_pte(out, oob);
		if (vgtfuzz_kevents.warns > warns) {
			if (kr)
				finding(XEVF_SIG_WARN_REFUSAL, xevf_op_name(op->kind), "WARN at %s:%d (%s), then %d",
					vgtfuzz_kevents.last_warn_file, vgtfuzz_kevents.last_warn_line,
					vgtfuzz_kevents.last_warn_cond, kr);
			else
				finding(XEVF_SIG_KERNEL_WARN, xevf_op_name(op->kind), "WARN at %s:%d (%s)",
					vgtfuzz_kevents.last_warn_file, vgtfuzz_kevents.last_warn_line,
					vgtfuzz_kevents.last_warn_cond);
		}
		if (xevf_env.asserts > asserts)
			trace("  (debug build: xe assert would fire at %s:%d: %s)\n", xevf_env.last_assert_file,
			      xevf_env.last_assert_line, xevf_env.last_assert);
	}
	/* Tear down what the script left (the device goes away), without judging it. */
	bail_op = sc.nops - 1;
	K->fini();
	P->fini();
}
