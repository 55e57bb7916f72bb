/* The C decoder of xevf/format.def (its Python twin: scripts/vgtfuzzlib/xevf_format.py). */
#include <string.h>

#include "scenario.h"

static uint64_t field(const uint8_t *data, size_t len, size_t off, size_t width)
{
	uint64_t v = 0;

	/* Little-endian; bytes past the input are 0. */
	for (size_t i = 0; i < width; i++)
		if (off + i < len)
			v |= (uint64_t)data[off + i] << (8 * i);
	return v;
}

const char *xevf_op_name(enum xevf_op_kind kind)
{
	switch (kind) {
#define XEVF_CONST(name, value, doc)
#define XEVF_FIELD(name, off, width, doc)
#define XEVF_OP(name, value, doc) \
	case XEVF_OP_##name:      \
		return #name;
#include "format.def"
#undef XEVF_CONST
#undef XEVF_FIELD
#undef XEVF_OP
	default:
		return "?";
	}
}

void xevf_decode(const uint8_t *data, size_t len, struct xevf_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
#define XEVF_CONST(name, value, doc)
#define XEVF_FIELD(name, off, width, doc) sc->name = field(data, len, (off), (width));
#define XEVF_OP(name, value, doc)
#include "format.def"
#undef XEVF_CONST
#undef XEVF_FIELD
#undef XEVF_OP
	sc->wopcm = (uint64_t)(sc->wopcm_code % 8 + 1) << 20;
	for (size_t off = XEVF_HEADER_LEN; off < len && sc->nops < XEVF_MAX_OPS; off += XEVF_OP_LEN) {
		struct xevf_op *op = &sc->ops[sc->nops++];

		op->kind = (enum xevf_op_kind)(data[off] % XEVF_OP_COUNT);
		op->a = (uint8_t)field(data, len, off + 1, 1);
		op->b = (uint16_t)field(data, len, off + 2, 2);
		op->c = (uint32_t)field(data, len, off + 4, 4);
	}
	if (sc->nops == 0) { /* the default script */
		sc->ops[0].kind = XEVF_OP_probe;
		sc->ops[1].kind = XEVF_OP_alloc;
		sc->ops[2].kind = XEVF_OP_fini;
		sc->nops = 3;
	}
}
