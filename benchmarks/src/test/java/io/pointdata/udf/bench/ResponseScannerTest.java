package io.pointdata.udf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseScannerTest {
  @Test
  void readsEachFramesKindAndEachPointsTime() throws Exception {
    List<Response> responses =
        List.of(
            Response.newBuilder()
                .setKeepalive(UdfProto.KeepaliveResponse.newBuilder().setTime(7))
                .build(),
            Samples.response(Samples.eiiPoint(1_594_927_426_635_557_092L, 19.5)),
            Samples.response(Samples.widePoint(-5)),
            Samples.response(UdfProto.Point.newBuilder().setName("no time").build()));
    ResponseScanner scanner =
        new ResponseScanner(new ByteArrayInputStream(Samples.frames(responses)));
    assertEquals(Response.KEEPALIVE_FIELD_NUMBER, scanner.next());
    assertEquals(responses.get(0), Response.parseFrom(scanner.frame()));
    assertEquals(ResponseScanner.POINT, scanner.next());
    assertEquals(1_594_927_426_635_557_092L, scanner.pointTime());
    assertEquals(ResponseScanner.POINT, scanner.next());
    assertEquals(-5, scanner.pointTime());
    assertEquals(ResponseScanner.POINT, scanner.next());
    assertEquals(0, scanner.pointTime());
    assertEquals(ResponseScanner.END, scanner.next());
  }
}
