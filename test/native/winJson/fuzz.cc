// libFuzzer target for the Windows addon's request reader and reply writers (native/win: json,
// wam_request, wam_reply), which need no Windows headers. Built and run by winJsonFuzz.test.mjs
// with -fsanitize=fuzzer,address,undefined. Beyond "no crash, no leak, no UB", it checks:
// - a request is read or refused with BROKER_INVALID_REQUEST and a reason, for every operation;
// - what json::Parse accepts, json::Write writes back as text that parses to the same value;
// - a reply written from any values (any bytes as strings) parses, and keeps its status and token.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>

#include "win/json.h"
#include "win/wam_reply.h"
#include "win/wam_request.h"

using namespace entra_broker;

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "winJson fuzz: check failed: %s\n", what);
  std::abort();
}

void Requests(const std::string& text) {
  for (BrokerOp op : {BrokerOp::kAvailability, BrokerOp::kInteractiveToken, BrokerOp::kSilentToken, BrokerOp::kAccounts,
                      BrokerOp::kSignOut}) {
    wam::WamRequest request;
    BrokerOutcome failure;
    if (wam::ParseWamRequest(op, text, &request, &failure)) continue;
    Check(failure.error.code == codes::kInvalidRequest, "a refused request is BROKER_INVALID_REQUEST");
    Check(!failure.error.message.empty(), "a refused request says why");
  }
}

void RoundTrip(const std::string& text) {
  json::Value value;
  std::string error;
  if (!json::Parse(text, &value, &error)) {
    Check(!error.empty(), "a parse error says why");
    return;
  }
  std::string written = json::Write(value);
  json::Value again;
  Check(json::Parse(written, &again, &error), "written JSON parses");
  Check(json::Write(again) == written, "written JSON parses to the same value");
}

std::unique_ptr<wam::ErrorInfo> Error(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return nullptr;
  std::unique_ptr<wam::ErrorInfo> e(new wam::ErrorInfo());
  e->code = in.ConsumeIntegral<std::uint32_t>();
  e->message = in.ConsumeRandomLengthString(64);
  e->has_properties = in.ConsumeBool();
  if (e->has_properties) e->properties[in.ConsumeRandomLengthString(16)] = in.ConsumeRandomLengthString(64);
  return e;
}

wam::AccountInfo Account(FuzzedDataProvider& in) {
  wam::AccountInfo a;
  a.has_id = in.ConsumeBool();
  a.id = in.ConsumeRandomLengthString(32);
  a.properties[in.ConsumeRandomLengthString(16)] = in.ConsumeRandomLengthString(64);
  a.user_name = in.ConsumeRandomLengthString(32);
  a.state = in.ConsumeIntegral<std::int32_t>();
  if (in.ConsumeBool()) {
    a.provider.reset(new wam::ProviderInfo());
    a.provider->id = in.ConsumeRandomLengthString(32);
    a.provider->authority = in.ConsumeRandomLengthString(32);
  }
  return a;
}

void Replies(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  wam::TokenResultInfo result;
  result.status = in.ConsumeIntegral<std::int32_t>();
  result.error = Error(in);
  for (int i = in.ConsumeIntegralInRange(0, 3); i > 0; --i) {
    wam::ResponseInfo r;
    r.token = in.ConsumeRandomLengthString(256);
    r.has_properties = in.ConsumeBool();
    r.properties[in.ConsumeRandomLengthString(16)] = in.ConsumeRandomLengthString(64);
    if (in.ConsumeBool()) r.account.reset(new wam::AccountInfo(Account(in)));
    r.error = Error(in);
    result.responses.push_back(std::move(r));
  }
  std::string written = wam::TokenReply(result);
  json::Value reply;
  std::string error;
  Check(json::Parse(written, &reply, &error), "a token reply parses");
  Check(reply["status"].get<double>() == result.status, "the status survives");
  Check(reply["responses"].size() == result.responses.size(), "every response is written");
  for (std::size_t i = 0; i < result.responses.size(); ++i) {
    const std::string& token = result.responses[i].token;
    if (IsValidUtf8(token)) Check(reply["responses"][i]["token"] == token, "a UTF-8 token survives as it was");
  }
  std::vector<wam::AccountInfo> accounts;
  accounts.push_back(Account(in));
  std::vector<wam::ProviderStatus> providers(1);
  providers[0].authority = in.ConsumeRandomLengthString(32);
  providers[0].status_code = in.ConsumeIntegral<std::int32_t>();
  providers[0].error = Error(in);
  Check(json::Parse(wam::AccountsReply(accounts, providers), &reply, &error), "an accounts reply parses");
  wam::ProviderInfo provider;
  provider.display_name = in.ConsumeRemainingBytesAsString();
  Check(json::Parse(wam::AvailabilityReply(provider), &reply, &error), "an availability reply parses");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Requests(text);
  RoundTrip(text);
  Replies(data, size);
  return 0;
}
