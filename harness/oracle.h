/* The oracles: differential, cleanup, structure, specification, kernel events (docs/design.md). */
#ifndef VGTFUZZ_ORACLE_H
#define VGTFUZZ_ORACLE_H
#include "observation.h"

enum vgtf_sig_class {
#define VGTF_SIG(id, name, doc) VGTF_SIG_##id,
#include "signatures.def"
#undef VGTF_SIG
	VGTF_SIG_COUNT
};

struct vgtf_finding {
	enum vgtf_sig_class cls;
	int op; /* op index, -1 for the set-up */
	char sig[96]; /* class/op-kind/field[/module]: stable across inputs */
	char detail[640]; /* the first divergence, for a person */
	const char *accepted; /* the reason, when the signature is in accepted.def */
};

extern const char *const vgtf_sig_names[VGTF_SIG_COUNT];
extern const char *const vgtf_op_names[VGTF_OP_KINDS];

/* Check `n` traces of one scenario (trace 0 is the reference). Returns true and fills `f` with
 * the first finding in op order, or false when every oracle holds. */
bool vgtf_check(const struct vgtf_scenario *sc, const struct vgtf_trace *const *traces, unsigned int n,
		struct vgtf_finding *f);

/* The fast path's test on traces recorded to VGTF_SUMMARY (module.h): true when no module stopped
 * or WARNed, every structure holds at the end, and every module agrees with the first on every
 * result, every summary and the full observation at the end. False: run again to VGTF_FULL and
 * vgtf_check() (any finding shows a difference here first; tests/harness checks it on corpora).
 * *first_difference: on false, the op where a module's results or summary first differ from the
 * first module's (-1 the set-up, n_ops the end), or -2 when a module stopped, WARNed or broke. */
bool vgtf_summaries_agree(const struct vgtf_scenario *sc, const struct vgtf_trace *const *traces, unsigned int n,
			  int *first_difference);

/* Would the kernel's unsigned long lose a value of the scenario as it stands at op `op` (-1: the
 * set-up) on this build? (Never on a 64-bit build.) */
bool vgtf_word_size_matters(const struct vgtf_scenario *sc, int op);

/* The reason `sig` is accepted (accepted.def), or NULL. */
const char *vgtf_accepted(const char *sig);

/* The page of device `dev` as it stands after op `upto` (host writes replayed). */
void vgtf_page_at(const struct vgtf_scenario *sc, unsigned int dev, int upto, uint8_t *page);
#endif
