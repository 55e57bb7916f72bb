/* The xevf runner: one test case through the kernel and the production model, with the oracles. */
#ifndef XEVF_RUN_H
#define XEVF_RUN_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XEVF_MAX_FINDINGS 16

/* The finding classes (signatures.def). */
enum xevf_sig {
#define XEVF_SIG(id, name, doc) XEVF_SIG_##id,
#include "signatures.def"
#undef XEVF_SIG
};

struct xevf_result {
	int nfindings;
	char sig[XEVF_MAX_FINDINGS][96]; /* "xevf/<class>/<era>[/<detail>]" */
	enum xevf_sig cls[XEVF_MAX_FINDINGS];
	char detail[XEVF_MAX_FINDINGS][200];
	int accepted[XEVF_MAX_FINDINGS];
	int unaccepted; /* findings not in accepted.def */
	int probed; /* a probe op ran: its results below (first probe) */
	int probe_kernel, probe_model;
};

/* trace_to: where to print the op-by-op trace (NULL: nowhere). */
void xevf_run(const uint8_t *data, size_t len, FILE *trace_to, struct xevf_result *res);
/* Whether a signature matches a row of accepted.def (and the row's reason). */
const char *xevf_accepted(const char *sig);
#endif
