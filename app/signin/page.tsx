import { AuthForm } from '../auth-form';

export default function SignInPage() {
  return (
    <>
      <h1>サインイン</h1>
      <AuthForm mode="signin" />
    </>
  );
}
