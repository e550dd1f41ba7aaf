package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.ValueType;

/**
 * Kapacitor's define-time check of a UDF node's property calls against the UDF's Info
 * (pipeline/udf.go CallMethod), with its exact error texts. Calls are checked in order and the
 * first bad one is the error; nothing is coerced.
 */
final class DefineCheck {
  private DefineCheck() {}

  /** Kapacitor's error for the first call it would refuse, or null if it accepts them all. */
  static String error(UdfProto.InfoResponse info, TickOptions options) {
    for (TickOptions.Call call : options.calls()) {
      UdfProto.OptionInfo declared = info.getOptionsMap().get(call.name());
      if (declared == null)
        return "no method or property \"" + call.name() + "\" on *pipeline.UDFNode";
      int expected = declared.getValueTypesCount();
      if (call.args().size() != expected) {
        return "unexpected number of args to "
            + call.name()
            + ", got "
            + call.args().size()
            + " expected "
            + expected;
      }
      for (int i = 0; i < expected; i++) {
        ValueType got = call.args().get(i).getType();
        ValueType want = declared.getValueTypes(i);
        if (got != want)
          return "unexpected arg to " + call.name() + ", got " + got + " expected " + want;
      }
    }
    return null;
  }
}
