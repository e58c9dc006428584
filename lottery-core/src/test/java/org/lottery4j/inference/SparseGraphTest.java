package org.lottery4j.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lottery4j.export.SafetensorsFile;
import org.lottery4j.prune.PruningMethod;
import org.lottery4j.prune.PruningScope;
import org.lottery4j.testing.Graphs;
import org.lottery4j.testing.Nets;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Sparse models of {@code ComputationGraph}s: residual joins, concatenation, global pooling, padding, subsets, folded batch norm. */
class SparseGraphTest {

    @TempDir
    Path dir;

    private static List<String> kinds(SparseModel m) {
        return m.steps().stream().map(SparseModel.Step::kind).toList();
    }

    @ParameterizedTest
    @EnumSource(ElementWiseVertex.Op.class)
    void everyVertexKindRunsSparseAsInDl4j(ElementWiseVertex.Op op) {
        ComputationGraph graph = Graphs.everyVertex(op, 5);
        long kept = SparseModelTest.prune(graph, 0.5, 3);
        SparseModel sparse = SparseModel.of(graph);
        assertThat(sparse.nonZeros()).isEqualTo(kept);
        String join = switch (op) {
            case Add -> "add";
            case Subtract -> "sub";
            case Product -> "mul";
            case Average -> "average";
            case Max -> "max";
        };
        assertThat(kinds(sparse)).contains(join, "concat", "scale", "shift", "pad", "globalpool", "slice")
                .doesNotContain("batchnorm"); // folded into the convolution 'a' before it
        for (int batch : new int[] {1, 6}) {
            SparseModelTest.assertParity(graph, sparse, SparseModelTest.randomInput(11 + batch, batch, 7 * 9 * 2));
        }
    }

    @Test
    void threeInputJoinsAndMaxAndSumGlobalPoolingMatchDl4j() {
        for (PoolingType type : new PoolingType[] {PoolingType.MAX, PoolingType.SUM, PoolingType.AVG}) {
            for (ElementWiseVertex.Op op : new ElementWiseVertex.Op[] {ElementWiseVertex.Op.Add, ElementWiseVertex.Op.Product,
                    ElementWiseVertex.Op.Average, ElementWiseVertex.Op.Max}) {
                ComputationGraph graph = Graphs.threeInputs(op, type);
                SparseModel sparse = SparseModel.of(graph, 2, 5, 6); // the graph's first layer is a convolution
                SparseModelTest.assertParity(graph, sparse, SparseModelTest.randomInput(4, 3, 2, 5, 6));
            }
        }
    }

    @Test
    void aPrunedResidualTicketRunsSparseWithItsBatchNormFoldedAndItsZerosDropped() {
        ComputationGraph graph = Graphs.everyVertexUntrained(ElementWiseVertex.Op.Add, 8);
        try (LotteryTicket ticket = LotteryTicket.builder(graph).method(PruningMethod.magnitude())
                .scope(PruningScope.layerwise()).build()) {
            graph.fit(Graphs.randomData(16, 7 * 9 * 2, 3, 8)); // batch norm's statistics move
            ticket.prune(0.6);
            SparseModel sparse = SparseModel.of(ticket);
            SparseModel.Step a = sparse.steps().stream().filter(s -> s.layer().equals("a") && !s.kind().equals("reshape")).findFirst().orElseThrow();
            assertThat(a.kind()).isEqualTo("conv");
            assertThat(a.nonZeros()).isEqualTo(a.weights() - Math.round(0.6 * a.weights()));
            assertThat(sparse.nonZeros()).isEqualTo(ticket.sparsity().overall().remaining() + biasesAndUnprunedOf(sparse, ticket));
            SparseModelTest.assertParity(graph, sparse, SparseModelTest.randomInput(3, 5, 7 * 9 * 2));
        }
    }

    // weights the sparse model stores that the ticket's masks do not cover: none here (every layer with weights is prunable)
    private static long biasesAndUnprunedOf(SparseModel sparse, LotteryTicket ticket) {
        return sparse.weights() - ticket.sparsity().overall().total();
    }

    @Test
    void aGraphModelSavesWithWhatEachStepReadsAndLoadsBitForBit() throws Exception {
        ComputationGraph graph = Graphs.everyVertex(ElementWiseVertex.Op.Max, 2);
        SparseModelTest.prune(graph, 0.7, 5);
        SparseModel sparse = SparseModel.of(graph);
        Path file = dir.resolve("graph.sparse.safetensors");
        sparse.save(file);
        SafetensorsFile f = SafetensorsFile.readChecked(file);
        assertThat(f.metadata()).containsEntry("format_version", "3");
        assertThat(f.metadata().get("manifest")).contains("\"kind\":\"max\",\"layer\":\"join\",\"reads\":[");
        SparseModel loaded = SparseModel.load(file);
        assertThat(loaded.steps()).isEqualTo(sparse.steps());
        float[] x = SparseModelTest.randomInput(3, 4, sparse.inputSize()).dup('c').data().asFloat();
        assertThat(Nets.bits(loaded.output(x, 4))).containsExactly(Nets.bits(sparse.output(x, 4)));
        assertThat(Nets.bits(sparse.withThreads(2).output(x, 4))).containsExactly(Nets.bits(sparse.output(x, 4)));
    }

    @Test
    void theZoosSqueezeNetRunsSparseAsInDl4j() {
        ComputationGraph squeeze = SqueezeNet.builder().numClasses(10).seed(1).inputShape(new int[] {3, 48, 48}).build()
                .init();
        SparseModelTest.prune(squeeze, 0.8, 2);
        SparseModel sparse = SparseModel.of(squeeze, 3, 48, 48);
        assertThat(kinds(sparse)).contains("concat", "globalpool");
        INDArray x = SparseModelTest.randomInput(7, 2, 3, 48, 48);
        SparseModelTest.assertParity(squeeze, sparse, x);
    }

    @Test
    void aStepThatReadsALaterStepOrNothingIsRefusedNamingIt() {
        Op relu = new Pointwise("r", Pointwise.Function.RELU, 0f);
        Op add = new Merge("join", Merge.Kind.ADD);
        assertThatThrownBy(() -> new SparseModel(new int[] {4}, List.of(relu, add), List.of(new int[] {1}, new int[] {0, -1}),
                null)).hasMessageContaining("layer 'r' (relu): step 0 reads step 1, which is not an earlier step");
        assertThatThrownBy(() -> new SparseModel(new int[] {4}, List.of(relu, add), List.of(new int[] {-1}, new int[] {0}),
                null)).hasMessageContaining("layer 'join' (add): joins at least 2 inputs, got 1");
        assertThatThrownBy(() -> new SparseModel(new int[] {4}, List.of(relu, relu), List.of(new int[] {-1}, new int[] {-1}),
                null)).hasMessageContaining("the values of step 0 are never read");
        assertThatThrownBy(() -> new SparseModel(new int[] {4}, List.of(new Merge("s", Merge.Kind.SUB)),
                List.of(new int[] {-1, -1, -1}), null)).hasMessageContaining("joins 2 inputs, got 3");
        SparseModel doubled = new SparseModel(new int[] {2}, List.of(add), List.of(new int[] {-1, -1}), null);
        assertThat(doubled.output(new float[] {1.5f, -2f}, 1)).containsExactly(3f, -4f);
    }
}
