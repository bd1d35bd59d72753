// Waiting for a WinRT async operation on the call's own thread, cancellably. The completion handler
// is agile (it answers IAgileObject, so WAM may call it on any thread without marshaling) and only
// signals an event; this thread polls that event, the CancelToken and the deadline, and calls
// IAsyncInfo::Cancel when the call is cancelled or times out.
#ifndef ENTRA_BROKER_WIN_ASYNC_WAIT_H_
#define ENTRA_BROKER_WIN_ASYNC_WAIT_H_

#include "../broker.h"
#include "com.h"
#include "winrt_abi.h"

namespace entra_broker {
namespace wam {

// The call's cancel token and time limit.
class CallControl {
 public:
  CallControl(const CancelToken& cancel, std::uint32_t timeout_ms);
  // Null while the call may go on; else the code to fail with (BROKER_CANCELLED / BROKER_TIMEOUT).
  const char* StopCode() const;

 private:
  const CancelToken& cancel_;
  ULONGLONG deadline_ = 0;  // GetTickCount64 value; 0 = none
};

// Waits for `op` to finish. True when it completed (the caller reads its results, then closes it);
// false with *failure set when it failed, was cancelled by WAM, or was stopped by `control` (then
// the operation is cancelled too): then it is closed here. `what` names the WAM method for messages.
bool Await(IAsyncBaseAbi* op, const GUID& handler_iid, const CallControl& control, const char* what,
           BrokerOutcome* failure);

// Await + GetResults + Close for an IAsyncOperation<T>. A null result is allowed (WAM answers null
// for "no such account / provider").
template <typename T>
bool AwaitResult(IAsyncOperationAbi* op, const GUID& handler_iid, const CallControl& control, const char* what,
                 ComPtr<T>* result, BrokerOutcome* failure);

BrokerOutcome HresultFailure(const char* code, const std::string& what, HRESULT hr);

void CloseAsync(IInspectable* op);

template <typename T>
bool AwaitResult(IAsyncOperationAbi* op, const GUID& handler_iid, const CallControl& control, const char* what,
                 ComPtr<T>* result, BrokerOutcome* failure) {
  if (!Await(op, handler_iid, control, what, failure)) return false;
  HRESULT hr = op->GetResults(result->OutVoid());
  CloseAsync(op);
  if (FAILED(hr)) {
    *failure = HresultFailure(codes::kOsError, std::string(what) + " GetResults", hr);
    return false;
  }
  return true;
}

}  // namespace wam
}  // namespace entra_broker

#endif  // ENTRA_BROKER_WIN_ASYNC_WAIT_H_
