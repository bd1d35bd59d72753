// SYNTAX-CHECK DECLARATIONS ONLY (see ../README.md). GNUstep's headers include this when the compiler
// has blocks; Debian's gcc libobjc does not ship it. The two entry points of the blocks runtime, as in
// Apple's <Block.h>.
#ifndef ENTRA_BROKER_CHECK_BLOCKS_RUNTIME_H_
#define ENTRA_BROKER_CHECK_BLOCKS_RUNTIME_H_

#ifdef __cplusplus
extern "C" {
#endif
void* _Block_copy(const void* block);
void _Block_release(const void* block);
#ifdef __cplusplus
}
#endif
#define Block_copy(x) ((__typeof(x))_Block_copy((const void*)(x)))
#define Block_release(x) _Block_release((const void*)(x))

#endif  // ENTRA_BROKER_CHECK_BLOCKS_RUNTIME_H_
