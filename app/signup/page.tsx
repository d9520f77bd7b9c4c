import { AuthForm } from '../auth-form';

export default function SignUpPage() {
  return (
    <>
      <h1>アカウント登録</h1>
      <p className="muted small">最初に登録したアカウントは、それまでにこの端末で解いた記録を引き継ぎます。</p>
      <p className="muted small">すでに登録したメールアドレスを入力したときは、そのときのパスワードでサインインします。</p>
      <AuthForm mode="signup" />
    </>
  );
}
