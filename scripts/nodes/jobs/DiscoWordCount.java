// A Flink job a user would write first: word counts of a few lines, as a batch DataStream program.
// The real-node suite compiles it on the master (javac from the JDK that base installs) and runs it with
// `flink run -p <workers>`, so its tasks spread over the TaskManagers of the workers.
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

public class DiscoWordCount {
    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        List<Tuple2<String, Integer>> counts = new ArrayList<>();
        env.fromData("to be or not to be", "that is the question", "to be is to do")
            .flatMap((String line, Collector<Tuple2<String, Integer>> out) -> {
                for (String word : line.split(" ")) {
                    out.collect(Tuple2.of(word, 1));
                }
            })
            .returns(Types.TUPLE(Types.STRING, Types.INT))
            .keyBy(pair -> pair.f0)
            .sum(1)
            .executeAndCollect("DISCO real-node word count")
            .forEachRemaining(counts::add);
        counts.sort((a, b) -> a.f0.compareTo(b.f0));
        for (Tuple2<String, Integer> pair : counts) {
            System.out.println(pair.f0 + " " + pair.f1);
        }
    }
}
