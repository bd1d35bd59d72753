// A stand-in for the Microsoft Identity Broker for Linux: a real D-Bus service on a (private) session
// bus that speaks the broker protocol and signs people in against a configured authority (the dev
// authority), with scripted failures for tests.
export { StandInBroker, type StandInBrokerOptions } from "./service";
export { startPrivateBus, stopChild, type PrivateBus } from "./privateBus";
export { type ScriptedReply, type BrokerCall, type Credentials } from "./broker";
export { missingAccountFields } from "./accounts";
export {
  startStandInBrokerProcess,
  standInBrokerServiceFile,
  STAND_IN_BROKER_MAIN,
  type StandInBrokerProcess,
  type StandInServiceFileOptions,
} from "./process";
export {
  BROKER_BUS_NAME,
  BROKER_OBJECT_PATH,
  BROKER_INTERFACE,
  BROKER_METHODS,
  CONTROL_INTERFACE,
  CONTROL_OBJECT_PATH,
  PROTOCOL_VERSION,
  Status,
  type BrokerAccount,
  type BrokerMethod,
} from "./protocol";
