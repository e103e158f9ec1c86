/**
 * A small builder for ONNX models, encoded with onnx-proto (protobufjs bindings of ONNX 1.10's
 * onnx.proto, IR version ≤ 8). Graphs use the default domain at opset 13 (IR version 7): there
 * ReduceSum and Unsqueeze take their axes as an input tensor, not an attribute (ReduceMean and
 * ReduceL2 keep the attribute until opset 18) — see onnx/docs/Changelog.md.
 */
import onnxProto from 'onnx-proto';
import { writeFileAtomic } from '../atomic-write.js';

const { onnx } = onnxProto;

/** Element types the writer emits. */
export type ElementType = 'float32' | 'int64';

const DATA_TYPE: Record<ElementType, number> = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64 };

/** An attribute value, tagged with its ONNX type. */
export type Attribute = { int: number } | { float: number } | { ints: number[] } | { string: string };

/** The opset of the default domain graphs are written for, and its IR version. */
export const OPSET = 13;
const IR_VERSION = 7;

function valueInfo(name: string, type: ElementType, shape: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: DATA_TYPE[type], shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, a: Attribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in a) return { name, type: T.INT, i: a.int };
  if ('float' in a) return { name, type: T.FLOAT, f: a.float };
  if ('ints' in a) return { name, type: T.INTS, ints: a.ints };
  return { name, type: T.STRING, s: new TextEncoder().encode(a.string) };
}

export class OnnxGraph {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly names = new Set<string>();

  constructor(readonly name: string) {}

  private claim(name: string): string {
    if (this.names.has(name)) throw new RangeError(`the graph already has a value named '${name}'`);
    this.names.add(name);
    return name;
  }

  /** A graph input; dims are numbers or symbolic names ('batch'). */
  input(name: string, type: ElementType, shape: (number | string)[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  /** Marks a value (the output of some node) as a graph output. */
  output(name: string, type: ElementType, shape: (number | string)[]): string {
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** A constant tensor (an initializer), stored as little-endian raw data. */
  constant(name: string, data: Float32Array | BigInt64Array, dims: number[]): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new RangeError(`constant '${name}': dims [${dims.join(', ')}] hold ${count} values, got ${data.length}`);
    const type: ElementType = data instanceof Float32Array ? 'float32' : 'int64';
    this.initializers.push({ name: this.claim(name), dims, dataType: DATA_TYPE[type], rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  /** A node `op(inputs) → outputs`; returns its first output's name. */
  node(op: string, inputs: string[], outputs: string[], attributes: Record<string, Attribute> = {}): string {
    for (const i of inputs) if (i !== '' && !this.names.has(i)) throw new RangeError(`${op}: input '${i}' is not defined earlier in the graph`);
    for (const o of outputs) this.claim(o);
    this.nodes.push({ opType: op, name: `${op}_${this.nodes.length}`, input: inputs, output: outputs, attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return outputs[0]!;
  }

  /** The serialised ModelProto. */
  encode(options: { producer?: string; docString?: string } = {}): Uint8Array {
    for (const o of this.outputs) if (!this.names.has(o.name!)) throw new RangeError(`output '${o.name}' is not computed by the graph`);
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: options.producer ?? 'xmrbench',
      docString: options.docString ?? '',
      graph: { name: this.name, input: this.inputs, output: this.outputs, initializer: this.initializers, node: this.nodes },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  /** Writes the model to `file` atomically. */
  write(file: string, options: { producer?: string; docString?: string } = {}): void {
    writeFileAtomic(file, this.encode(options));
  }
}
