/**
 * Written answers to real bank questions, with the rubric points each should pre-tick (in rubric order). Swapped
 * answers say the right things of the wrong subject; a keyword salad names the terms with no relation between them;
 * paraphrases say the right thing in other words.
 */
export interface WrittenCase {
  questionId: string;
  label: string;
  answer: string;
  ticks: boolean[];
}

const Y = true;
const N = false;

export const SWAPPED: WrittenCase[] = [
  {
    questionId: 'gru-vs-lstm',
    label: 'LSTM と GRU を入れ替えた',
    answer:
      'GRU は入力ゲート・出力ゲート・忘却ゲートの 3 つのゲートと CEC を持ち、パラメータ数が多く計算が重い。LSTM はリセットゲートと更新ゲートの 2 つだけで CEC を持たず、パラメータが少なく計算が軽い。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'gru-vs-lstm',
    label: 'LSTM と GRU を入れ替えた（前置きで両方を挙げる）',
    answer: 'LSTM と GRU の違い：GRU は 3 つのゲートを持ち、LSTM は 2 つのゲートしか持たない。LSTM は GRU よりパラメータが少ない。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'gru-gates-written',
    label: 'r と z を入れ替えた',
    answer:
      '更新ゲート z は、新しい状態の候補を作るときに直前の状態をどれだけ使うかを決める。z が 0 に近いと、候補は今の入力だけから作られる。リセットゲート r は、直前の状態と候補を混ぜる割合を決める。r が 0 に近いと、直前の状態がそのまま持ち越される。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'hred-vhred',
    label: 'seq2seq と HRED を入れ替えた',
    answer:
      'HRED は 1 つの系列から 1 つの系列を生成する一問一答型で、それ以前の会話の文脈を考慮しない。seq2seq は各発話をエンコードしたベクトルを Context RNN に順に入力し、過去の発話の流れを踏まえて次の応答を生成する。VHRED は HRED に VAE の潜在変数の概念を加え、ありきたりな応答ばかりになる問題を改善して多様な応答を生成できるようにした。',
    // The VHRED half is right as written.
    ticks: [N, N, Y, Y],
  },
  {
    questionId: 'hred-vhred',
    label: 'seq2seq・HRED・VHRED をすべて入れ替えた',
    answer:
      'HRED は一問一答型で文脈を考慮しない。seq2seq は過去の発話の文脈を踏まえて応答する。HRED は VAE の潜在変数を加えて多様な応答を生成できるようにした。VHRED はありきたりな短い応答ばかり返す。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'gru-lstm-cec-problems',
    label: 'LSTM と CEC の課題を入れ替えた',
    answer: 'LSTM 自体には学習能力がなく、時間依存度に関係なく重みが一律である。CEC はパラメータ数が多く、計算負荷が大きい。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'attention-contrast',
    label: 'RNN と word2vec、seq2seq と Attention を入れ替えた',
    answer:
      'word2vec は時系列データを扱うネットワークで、RNN は単語を分散表現のベクトルに変換する手法。Attention はある時系列データから別の時系列データを生成し、seq2seq は要素どうしの関連度に重みをつける。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'compression-lightweight-methods',
    label: '手法と説明を入れ替えた',
    answer:
      '蒸留は、重みを表す数値のビット数を減らして FP32 を INT8 にする。プルーニングは、大きな教師モデルの出力で小さな生徒モデルを学習させる。量子化は、寄与の小さいニューロンや重みを削除する。',
    // 「寄与の小さい」 (the criteria point) is said, of the wrong method.
    ticks: [N, N, N, Y],
  },
  {
    questionId: 'rl-explore-exploit-written',
    label: '探索と利用、ε と 1−ε を入れ替えた',
    answer:
      '探索とは、今までの経験から価値が最大の行動を選ぶことである。利用とは、未知の行動を試して情報を集めることである。ε-greedy は確率 ε で価値が最大の行動を選び、確率 1−ε でランダムに行動を選ぶ。',
    ticks: [N, N, N, N],
  },
  {
    questionId: 'birnn-no-generation',
    label: '生成時と学習時を入れ替えた',
    answer: '学習時には未来の単語がまだ存在しないので逆方向の状態を計算できない。生成時には逆方向の状態が予測すべき正解を見てしまう（リーク）。',
    ticks: [N, N, N],
  },
  {
    questionId: 'transformer-vs-rnn-seq2seq',
    label: 'RNN と Transformer を入れ替えた',
    answer:
      'RNN は全位置を並列に計算できるので学習が速く、Transformer は逐次にしか計算できない。RNN は離れた位置どうしの依存関係を直接捉えられ、Transformer は長い文で情報が失われやすい。',
    ticks: [N, N, N],
  },
  {
    questionId: 'rnn-third-weight',
    label: '向きを逆にした',
    answer: '現在の時刻の中間層から、1つ前の時刻の中間層への重み。',
    ticks: [N, N],
  },
  {
    questionId: 'lstm-vanishing-written',
    label: '単純な RNN と LSTM を入れ替えた',
    answer: '単純な RNN では勾配が減衰せずに過去へ伝わる。LSTM ではセル状態に重みと活性化関数の微分が何度も掛かり、勾配が消失する。',
    ticks: [N, N, N, N],
  },
];

/** The keyword salad of issue 11: the accepted phrases with nothing relating them. */
export const SALAD: WrittenCase = {
  questionId: 'lstm-vanishing-written',
  label: 'キーワードの羅列',
  answer: '足し算 減衰せず ゲートが 何度も掛',
  ticks: [N, N, N, N],
};

export const PARAPHRASES: WrittenCase[] = [
  {
    questionId: 'gru-vs-lstm',
    label: '言い換え（比較の形）',
    answer:
      'LSTM は入力・忘却・出力の三つのゲートと記憶セルを持つが、GRU には記憶セルがなく、ゲートもリセットと更新の二つだけである。そのため GRU は LSTM よりパラメータが少なく、計算が軽い。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'gru-vs-lstm',
    label: '言い換え（箇条書き）',
    answer: '- LSTM: ゲートが3つ（入力、出力、忘却）。CEC あり。パラメータが多い。\n- GRU: リセットゲートと更新ゲートの2つ。CEC なし。計算量が少ない。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'gru-gates-written',
    label: '言い換え',
    answer:
      'リセットゲート r は、新しい中間状態を計算するときに過去の状態をどの程度無視するかを決め、r が 0 に近いと過去を忘れて現在の入力のみから候補を作る。更新ゲート z は、前の状態と候補の比率を決めるもので、z が 0 に近いと前の状態がほぼそのまま保持される。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'hred-vhred',
    label: '言い換え',
    answer:
      'seq2seq は一問一答で、前の会話の流れを考慮しない。HRED は過去の複数の発話を Context RNN でまとめ、文脈に沿った応答を返す。VHRED は HRED に VAE の潜在変数を取り入れ、ありきたりな返答ばかりになる問題を解消し、多様な応答を出せるようにした。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'gru-lstm-cec-problems',
    label: '言い換え',
    answer: 'LSTM はゲートが多いぶんパラメータが多く、計算コストが高い。CEC は重みが 1 に固定されているので、CEC 自体は学習できない。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'attention-contrast',
    label: '言い換え',
    answer: 'RNN は時系列データを処理するネットワーク、word2vec は単語をベクトル化する手法である。seq2seq は系列から系列を生成するエンコーダ・デコーダで、Attention は入力のどの要素が重要かに重み付けをする仕組みである。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'compression-lightweight-methods',
    label: '言い換え',
    answer:
      '量子化: 重みを FP32 から INT8 などの低いビット数で表す。蒸留: 大きな教師モデルの出力を使って小さな生徒モデルを学習する。プルーニング: 精度への影響が小さい重みを削除する。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'rl-explore-exploit-written',
    label: '言い換え',
    answer:
      '利用は今わかっている中で最も良い行動を選ぶこと、探索はまだ試していない行動を試してみることで、利用ばかりだとより良い行動を見逃し、両者はトレードオフの関係にある。ε-greedy では確率 ε でランダムに行動し、それ以外は価値が最大の行動を選ぶ。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'birnn-no-generation',
    label: '言い換え',
    answer:
      '生成するときは、後ろの単語がまだ生成されていないので逆方向の RNN を計算できない。学習するときは、逆方向の状態に次の単語の情報が入ってしまい、答えを見ながら予測するカンニングになる。学習時と生成時で使える情報が違うので、学習した予測が役に立たない。',
    ticks: [Y, Y, Y],
  },
  {
    questionId: 'transformer-vs-rnn-seq2seq',
    label: '言い換え',
    answer:
      'RNN は前の時刻の計算が終わらないと次に進めないが、Transformer は全単語を同時に計算できる。Self-Attention は離れた単語どうしも直接結べるので長距離の依存を捉えやすい。RNN を使わないので単語の順序の情報を位置エンコーディングで加える。',
    ticks: [Y, Y, Y],
  },
  {
    questionId: 'rnn-third-weight',
    label: '言い換え',
    answer: '前の時刻の中間層から、今の中間層への重み。',
    ticks: [Y, Y],
  },
  {
    questionId: 'lstm-vanishing-written',
    label: '言い換え',
    answer:
      '単純な RNN では、時刻をさかのぼるたびに重み W と活性化関数の微分が掛け合わされるので、勾配が指数関数的に小さくなる。LSTM の CEC ではセル状態が足し算で更新され、勾配が減衰せずに過去へ伝わる。入力ゲート・忘却ゲート・出力ゲートが、何を書き込み何を残すかを学習して制御する。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'gru-vs-lstm',
    label: '言い換え（セル状態・計算コスト）',
    answer: 'LSTMは忘却ゲートなど3種類のゲートがあり、セル状態で長期記憶を保持する。GRUはセルを持たず隠れ状態だけで記憶し、ゲートも2つで済むため計算コストが低い。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'gru-gates-written',
    label: '言い換え（r・z だけで書く）',
    answer:
      'rは過去の隠れ状態をどれくらい候補の計算に使うかを決め、0なら過去を捨てて入力xだけで候補を作る。zは古い状態と新しい候補をどれだけ入れ替えるかを決め、0なら前の状態を保つ。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'hred-vhred',
    label: '言い換え（考慮できない）',
    answer:
      'seq2seqは直前の発話だけを入力にして応答を作るので会話の流れを考慮できない。HREDは過去の発話列をContext RNNで扱うため文脈を反映できる。VHREDは潜在変数を導入して応答に多様性を持たせた。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'lstm-vanishing-written',
    label: '言い換え（指数的・消えにくい）',
    answer:
      'RNNでは逆伝播のたびに同じ重みと活性化関数の微分を掛けるので勾配が指数的に小さくなる。LSTMはCECで誤差を定数倍のまま流せるので消えにくい。入力・忘却・出力の各ゲートで情報の出し入れを制御する。',
    ticks: [Y, Y, Y, Y],
  },
  {
    questionId: 'alphago-mcts-simulation-written',
    label: '言い換え',
    answer:
      'まずルートから Q+U が最大の手を選んで葉まで降りる。葉の局面をニューラルネットワークに入力して (p, v) を得て展開し、ロールアウトは行わない。通った経路の訪問回数を 1 増やし、v を足して平均 Q を更新する。これを繰り返したあと、訪問回数に比例する確率で着手を決める。',
    ticks: [Y, Y, Y, Y, Y],
  },
];
