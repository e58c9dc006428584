package org.lottery4j.hparams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lottery4j.internal.Json;
import org.lottery4j.internal.ScheduledLearningRate;

class LearningRateScheduleTest {

    @Test
    void everyFormParsesBackFromItsCanonicalText() {
        for (String text : new String[] {"constant", "cosine", "warmup(5ep)", "warmup(5ep)+cosine", "warmup(100it)+constant",
                "step(milestones=[80ep,120ep],factor=0.1)", "warmup(2ep)+step(milestones=[500it,3ep],factor=0.5)"}) {
            LearningRateSchedule s = LearningRateSchedule.parse(text);
            assertThat(LearningRateSchedule.parse(s.describe())).as(text).isEqualTo(s);
        }
        assertThat(LearningRateSchedule.parse("warmup(100it)+constant").describe()).isEqualTo("warmup(100it)");
        assertThat(LearningRateSchedule.parse("constant").isConstant()).isTrue();
        assertThat(LearningRateSchedule.parse("warmup(1it)").isConstant()).isFalse();
    }

    @Test
    void anySpellingGivesTheCanonicalForm() {
        assertThat(LearningRateSchedule.parse(" Cosine + WARMUP( 5ep ) ").describe()).isEqualTo("warmup(5ep)+cosine");
        assertThat(LearningRateSchedule.parse("STEP( factor = 0.10, milestones = [ 120ep, 80ep ] )").describe())
                .isEqualTo("step(milestones=[80ep,120ep],factor=0.1)");
        assertThat(LearningRateSchedule.stepDecay(0.1, Step.ofEpochs(120), Step.ofEpochs(80)))
                .isEqualTo(LearningRateSchedule.parse("step(milestones=[80ep,120ep],factor=0.1)"));
        assertThat(LearningRateSchedule.cosine().withWarmup(Step.ofEpochs(5))).hasToString("warmup(5ep)+cosine");
    }

    @Test
    void badSchedulesNameTheFieldAndTheForms() {
        String forms = "; expected constant, step(milestones=[80ep,120ep],factor=0.1) or cosine, optionally after warmup(5ep)+";
        assertThatThrownBy(() -> LearningRateSchedule.parse("linear"))
                .hasMessage("training.schedule: 'linear' is not a learning-rate schedule" + forms);
        assertThatThrownBy(() -> LearningRateSchedule.parse("cosine+constant"))
                .hasMessage("training.schedule: 'cosine+constant' is not a learning-rate schedule" + forms);
        assertThatThrownBy(() -> LearningRateSchedule.parse("warmup(1ep)+warmup(2ep)+cosine"))
                .hasMessageStartingWith("training.schedule: 'warmup(1ep)+warmup(2ep)+cosine' is not");
        assertThatThrownBy(() -> LearningRateSchedule.parse("warmup(5)"))
                .hasMessageStartingWith("training.schedule: 'warmup(5)': not a step: '5'");
        assertThatThrownBy(() -> LearningRateSchedule.parse("step(milestones=[8ep,8ep],factor=0.1)"))
                .hasMessage("training.schedule: 'step(milestones=[8ep,8ep],factor=0.1)': milestones repeat in [8ep, 8ep]");
        assertThatThrownBy(() -> LearningRateSchedule.parse("step(milestones=[8ep],factor=0)"))
                .hasMessage("training.schedule: 'step(milestones=[8ep],factor=0)': step decay factor must be > 0, got 0.0");
    }

    @Test
    void theRatesFollowTheFormulas() {
        // 10 iterations an epoch, a budget of 100
        ScheduledLearningRate warm = LearningRateSchedule.parse("warmup(1ep)").resolve(0.1, 10, 100);
        assertThat(warm.at(0)).isEqualTo(0.0);
        assertThat(warm.at(5)).isEqualTo(0.1 * 5 / 10);
        assertThat(warm.at(10)).isEqualTo(0.1);
        assertThat(warm.at(99)).isEqualTo(0.1);

        ScheduledLearningRate step = LearningRateSchedule.parse("step(milestones=[5ep,80it],factor=0.5)").resolve(0.1, 10, 100);
        assertThat(step.at(49)).isEqualTo(0.1);
        assertThat(step.at(50)).isEqualTo(0.1 * 0.5);
        assertThat(step.at(80)).isEqualTo(0.1 * 0.5 * 0.5);

        ScheduledLearningRate cosine = LearningRateSchedule.parse("warmup(20it)+cosine").resolve(0.1, 10, 100);
        assertThat(cosine.at(10)).isEqualTo(0.1 * 10 / 20);
        assertThat(cosine.at(20)).isEqualTo(0.1);
        assertThat(cosine.at(60)).isCloseTo(0.05, within(1e-15)); // half way from 20 to 100
        assertThat(cosine.at(99)).isEqualTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 79 / 80)));
        // past the budget the rate of its last step holds
        assertThat(cosine.at(100)).isEqualTo(cosine.at(99));
        assertThat(cosine.at(1_000)).isEqualTo(cosine.at(99));
    }

    @Test
    void theScheduleRoundTripsThroughJson() throws Exception {
        LearningRateSchedule s = LearningRateSchedule.parse("warmup(5ep)+cosine");
        assertThat(Json.writer().writeValueAsString(s)).isEqualTo("\"warmup(5ep)+cosine\"");
        assertThat((LearningRateSchedule) Json.reader().forType(LearningRateSchedule.class).readValue("\"warmup(5ep)+cosine\"")).isEqualTo(s);
    }
}
