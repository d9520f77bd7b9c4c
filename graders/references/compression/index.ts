import type { CodeGrader } from '../../code/types';
import { compressionAsymmetricQuantCode } from './compression-asymmetric-quant-code';
import { compressionInt8QuantizeCode } from './compression-int8-quantize-code';
import { compressionPruningMaskCode } from './compression-pruning-mask-code';
import { compressionStructuredPruningCode } from './compression-structured-pruning-code';
import { compressionQuantizeDequantizeFunction } from './compression-quantize-dequantize-function';
import { compressionTemperatureSoftmaxCode } from './compression-temperature-softmax-code';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [compressionInt8QuantizeCode, compressionTemperatureSoftmaxCode, compressionPruningMaskCode, compressionQuantizeDequantizeFunction, compressionAsymmetricQuantCode, compressionStructuredPruningCode];
