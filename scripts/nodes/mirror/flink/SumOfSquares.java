// Written by the DISCO mirror (the PyPI artefacts carry no examples/): a small Flink job for smoke
// checks. It squares 1..N in parallel (default: every task slot of the cluster) and checks the sum
// against n(n+1)(2n+1)/6. Run: bin/flink run examples/streaming/DiscoSumOfSquares.jar [N] [PARALLELISM]
package org.disco.mirror;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

public final class SumOfSquares {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (args.length > 1) {
            env.setParallelism(Integer.parseInt(args[1]));
        }
        DataStream<Long> squares = env.fromSequence(1, n).map(x -> x * x).returns(Types.LONG);
        long sum = 0;
        try (CloseableIterator<Long> it = squares.executeAndCollect("DISCO mirror: sum of squares 1.." + n)) {
            while (it.hasNext()) {
                sum += it.next();
            }
        }
        long want = n * (n + 1) * (2 * n + 1) / 6;
        System.out.println("sum of squares 1.." + n + " = " + sum + " (parallelism " + env.getParallelism() + ")"
            + (sum == want ? ", correct" : ", WRONG: expected " + want));
        if (sum != want) {
            System.exit(1);
        }
    }
}
