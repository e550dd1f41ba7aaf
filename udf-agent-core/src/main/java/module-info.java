/**
 * The Kapacitor UDF agent: {@code io.pointdata.udf} is what a UDF author uses, {@code
 * io.pointdata.udf.protocol} the protocol-level handler for those who want full control. The
 * implementation in {@code io.pointdata.udf.internal} is open to our own test fixtures only.
 */
@SuppressWarnings("module") // io.pointdata.udf.testing, named in a qualified export, builds later
module io.pointdata.udf {
  requires transitive io.pointdata.udf.proto;
  requires org.newsclub.net.unix;
  // junixsocket finds its native library in this module; nothing resolves it unless required.
  requires com.kohlschutter.junixsocket.nativecommon;
  requires org.slf4j;
  requires java.management;
  requires jdk.httpserver;
  requires jdk.unsupported; // sun.misc.Signal: SIGTERM drains sessions before the exit

  exports io.pointdata.udf;
  exports io.pointdata.udf.protocol;
  exports io.pointdata.udf.internal to
      io.pointdata.udf.testing;
}
