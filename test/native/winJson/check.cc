// Runs the Windows addon's JSON layer and request reader on Linux for winJson.test.mjs:
//   check parse          < document   prints "ok <json::Write of it>" or "error <reason>"
//   check number         < document   prints the number it is, as %.17g (inf, -inf, 0...)
//   check request <op>   < payload    prints "ok" or "error <code> <message>"
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "win/json.h"
#include "win/wam_request.h"

using namespace entra_broker;

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (mode == "parse") {
    json::Value value;
    std::string error;
    if (json::Parse(input, &value, &error)) std::cout << "ok " << json::Write(value) << "\n";
    else std::cout << "error " << error << "\n";
    return 0;
  }
  if (mode == "number") {
    json::Value value;
    std::string error;
    if (!json::Parse(input, &value, &error)) std::cout << "error " << error << "\n";
    else if (!value.is_number()) std::cout << "not a number\n";
    else std::printf("%.17g\n", value.get<double>());
    return 0;
  }
  BrokerOp op;
  if (mode == "request" && argc > 2 && ParseBrokerOp(argv[2], &op)) {
    wam::WamRequest request;
    BrokerOutcome failure;
    if (wam::ParseWamRequest(op, input, &request, &failure)) std::cout << "ok\n";
    else std::cout << "error " << failure.error.code << " " << failure.error.message << "\n";
    return 0;
  }
  std::cerr << "usage: check parse | check request <op>\n";
  return 2;
}
