/* kind: stub. drm_mm's debugfs dump is never called. */
#ifndef VGTFUZZ_LINUX_SEQ_FILE_H
#define VGTFUZZ_LINUX_SEQ_FILE_H
struct seq_file;
#endif
