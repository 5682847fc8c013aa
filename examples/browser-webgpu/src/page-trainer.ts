/**
 * In-page training with asynchronous reads. It performs the same update as
 * `Trainer.trainStep` of @anira/model (batch from `example(step*B + i)`, training
 * forward, global-norm clipping, Adam with warmup + cosine), but reads the loss with
 * `await data()`: tfjs's WebGPU backend cannot read GPU memory synchronously in
 * headless Chromium (its `dataSync` returns zeros on SwiftShader), and a page should
 * not block on GPU reads anyway. `checkpoint()` writes the @anira/model format.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Adam, clipByGlobalNorm, deriveSeed } from '@anira/tensor';
import { collate, learningRate, serializeCheckpoint, trainForward } from '@anira/model';
import type { Session } from './session.js';

export interface PageStep {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly meanDepth: number;
}

export class PageTrainer {
  step = 0;
  private readonly vars: Record<string, tf.Variable> = {};
  private readonly adam: Adam;

  constructor(private readonly s: Session) {
    for (const [k, v] of Object.entries(s.model.params)) this.vars[`model/${k}`] = v;
    for (const [k, v] of Object.entries(s.policy.variables)) if (v.trainable) this.vars[`policy/${k}`] = v;
    const { beta1, beta2, epsilon, weightDecay } = s.trainer.config;
    this.adam = new Adam(this.vars, { beta1, beta2, epsilon, weightDecay });
  }

  /** One update; resolves once the loss has been read back. */
  async trainStep(): Promise<PageStep> {
    const { model, policy, trainer } = this.s;
    const c = trainer.config;
    const st = this.step;
    const batch = collate(Array.from({ length: c.batchSize }, (_, i) => this.s.example(st * c.batchSize + i)));
    const lr = learningRate(st, c.steps, c.lr, c.warmupSteps, c.minLrRatio);
    const names = Object.keys(this.vars);
    const byTfName = new Map(names.map((k) => [this.vars[k]!.name, k]));
    const stats = tf.tidy(() => {
      let side: tf.Scalar[] = [];
      const { grads } = tf.variableGrads(() => {
        const f = trainForward(model, policy, batch, deriveSeed(c.seed, `train${st}`));
        side = [f.objective, f.accuracy, f.meanDepth].map((x) => tf.keep(x));
        return f.objective;
      }, names.map((k) => this.vars[k]!));
      const named: Record<string, tf.Tensor> = {};
      for (const [tfName, g] of Object.entries(grads)) named[byTfName.get(tfName)!] = g;
      this.adam.apply(clipByGlobalNorm(named, c.clipNorm).grads, lr);
      return tf.stack(side); // [3]
    });
    const [loss, accuracy, meanDepth] = Array.from(await stats.data());
    stats.dispose();
    this.step += 1;
    return { step: this.step, loss: loss!, accuracy: accuracy!, meanDepth: meanDepth! };
  }

  /** The trained weights (+ optimizer state) as an @anira/model checkpoint, read asynchronously. */
  async checkpoint(): Promise<Uint8Array> {
    const { model, policy, trainer, task, params } = this.s;
    const tensors: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(model.params)) tensors[`model/${k}`] = v;
    for (const [k, v] of Object.entries(policy.variables)) tensors[`policy/${k}`] = v;
    for (const [k, v] of Object.entries(this.adam.state())) tensors[`optim/${k}`] = v;
    return serializeCheckpoint({
      step: this.step, dataPosition: this.step * trainer.config.batchSize, model: model.config,
      policy: { name: policy.name, options: policy.options }, trainer: trainer.config,
      task: { name: task.name, params, trainSizes: [params[task.sizeParam]!] },
    }, tensors);
  }

  dispose(): void {
    this.adam.dispose();
  }
}
