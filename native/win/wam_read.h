// Reads WAM's WinRT objects into the plain values of wam_reply.h. A property WAM does not answer
// stays empty (as the TypeScript side expects); nothing here fails.
#ifndef ENTRA_BROKER_WIN_WAM_READ_H_
#define ENTRA_BROKER_WIN_WAM_READ_H_

#include "winrt_abi.h"
#include "wam_reply.h"

namespace entra_broker {
namespace wam {

ProviderInfo ReadProvider(IWebAccountProviderAbi* provider);
AccountInfo ReadAccount(IWebAccountAbi* account);
std::unique_ptr<ErrorInfo> ReadError(IWebProviderErrorAbi* error);  // null for null
TokenResultInfo ReadTokenResult(IWebTokenRequestResultAbi* result);

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_WAM_READ_H_
